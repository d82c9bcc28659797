using System.Net;
using System.Net.WebSockets;
using Herald.Internal.Protocol;
using Herald.Internal.Transports;
using Microsoft.AspNetCore.Http;

namespace Herald.Internal.Http;

/// <summary><c>GET /ws/events</c>: checks the request, upgrades it and runs the connection.</summary>
internal sealed class WebSocketEndpoint(HubCore hub)
{
    private readonly OriginPolicy _origins = new(hub.Options);

    public HubCore Hub => hub;

    public OriginPolicy Origins => _origins;

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "WebSocket upgrade expected", "Connect to /ws/events with a WebSocket client; see docs/protocol.md.").ConfigureAwait(false);
            return;
        }

        if (!_origins.IsAllowed(context.Request))
        {
            Log.OriginRejected(hub.Logger, context.Request.Headers.Origin.ToString());
            await Problems.Write(context, StatusCodes.Status403Forbidden, "Origin not allowed", "This origin is not in Herald:AllowedOrigins.").ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        if (await StreamRequest.ReadAsync(context, hub, query["since"].ToString()).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        var (filters, since) = request;

        var admission = hub.Sessions.Admit(query["session"], query["resume"]);
        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero }).ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (!context.Response.HasStarted)
        {
            // Kestrel's own cap on upgraded connections, a safety net below the hub's.
            await StreamRequest.RefuseFullAsync(context).ConfigureAwait(false);
            return;
        }

        await RunAsync(socket, null, admission, filters, since, context.Connection.RemoteIpAddress, context.Request.Headers.UserAgent.ToString(), context.TraceIdentifier).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs an accepted WebSocket until it closes: refuses a rejected session, or registers and runs the connection.
    /// <paramref name="stream"/> is the socket's stream when it can coalesce writes.
    /// </summary>
    public async Task RunAsync(WebSocket socket, ICoalescingStream? stream, SessionAdmission admission, IReadOnlyList<TopicFilter> filters, long? since, IPAddress? remoteAddress, string? userAgent, string? requestId = null)
    {
        using (socket)
        {
            if (!admission.Admitted)
            {
                await RefuseAsync(socket, admission).ConfigureAwait(false);
                return;
            }

            var connection = new HeraldConnection(new WebSocketTransport(socket, hub, stream), hub, admission.SessionId, remoteAddress, string.IsNullOrEmpty(userAgent) ? null : userAgent, requestId);
            hub.Register(connection);
            try
            {
                var welcome = ServerFrames.Welcome(connection.Id, admission.SessionId, admission.ResumeToken!, hub.Options.HeartbeatInterval);
                await connection.RunAsync(welcome, since, filters).ConfigureAwait(false);
            }
            finally
            {
                hub.Unregister(connection);
            }
        }
    }

    private async Task RefuseAsync(WebSocket socket, SessionAdmission admission)
    {
        Log.SessionRejected(hub.Logger, "-", admission.SessionId, admission.Error!);
        using var timeout = new CancellationTokenSource(hub.Options.CloseTimeout, hub.Time);
        try
        {
            await socket.SendAsync(ServerFrames.Error(ErrorCodes.InvalidResumeToken, admission.Error!), WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
            await socket.CloseAsync(CloseCodes.PolicyViolation, "invalid resume token", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            socket.Abort();
        }
    }
}
