using System.Net;
using System.Net.WebSockets;
using Herald.Internal.Connections;
using Herald.Internal.Diagnostics;
using Herald.Internal.Protocol;
using Herald.Internal.Security;
using Herald.Internal.Sessions;
using Herald.Internal.Transports.Direct;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Herald.Internal.Http;

/// <summary>
/// <c>GET /ws/events</c>: checks the request, upgrades it, joins the connection to its session and runs it. The
/// same decision serves both ways a handshake arrives: through ASP.NET Core (<see cref="HandleAsync"/>) and straight
/// from a socket (<see cref="DirectHandshake"/>).
/// </summary>
internal sealed class WebSocketEndpoint(ConnectionFactory factory, ConnectionRegistry connections, SessionManager sessions, Authenticator authenticator, OriginPolicy origins, HostCheck hosts, HeraldOptions options, TimeProvider time, ILogger logger)
{
    public ConnectionRegistry Connections => connections;

    public Authenticator Authenticator => authenticator;

    public OriginPolicy Origins => origins;

    public HostCheck Hosts => hosts;

    public TimeProvider Time => time;

    public ILogger Logger => logger;

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "WebSocket upgrade expected", "Connect to /ws/events with a WebSocket client; see docs/protocol.md.").ConfigureAwait(false);
            return;
        }

        if (!Origins.IsAllowed(context.Request))
        {
            Log.OriginRejected(logger, context.Request.Headers.Origin.ToString());
            await Problems.Write(context, StatusCodes.Status403Forbidden, "Origin not allowed", "This origin is not in Herald:AllowedOrigins.").ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        if (await StreamRequest.ReadAsync(context, connections, authenticator, query["since"].ToString()).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        var (filters, since, user) = request;
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

        var session = new SessionRequest(query["session"], query["resume"]);
        await RunAsync(socket, null, session, user, filters, since, context.Connection.RemoteIpAddress, context.Request.Headers.UserAgent.ToString(), context.TraceIdentifier).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs an accepted WebSocket until it closes: joins its session (or refuses it in a frame), registers the
    /// connection and runs it. <paramref name="stream"/> is the socket's stream when it can coalesce writes.
    /// </summary>
    public async Task RunAsync(WebSocket socket, ICoalescingStream? stream, SessionRequest session, HeraldUser user, IReadOnlyList<TopicFilter> filters, long? since, IPAddress? remoteAddress, string? userAgent, string? requestId = null)
    {
        using (socket)
        {
            var chosenByClient = !string.IsNullOrEmpty(session.Id);
            var sessionId = chosenByClient ? session.Id! : SessionManager.NewId();
            if (SessionManager.CheckId(sessionId) is { } invalid)
            {
                await RefuseAsync(socket, sessionId, invalid).ConfigureAwait(false);
                return;
            }

            var connection = factory.ForWebSocket(socket, stream, new ConnectionIdentity(sessionId, user, remoteAddress, userAgent, requestId));
            connections.Register(connection);
            try
            {
                var join = await sessions.JoinAsync(connection, session.ResumeToken, owner: user.Subject, chosenByClient).ConfigureAwait(false);
                if (!join.Joined)
                {
                    await RefuseAsync(socket, sessionId, join.Error!).ConfigureAwait(false);
                    return;
                }

                try
                {
                    var welcome = ServerFrames.Welcome(connection.Id, sessionId, join.ResumeToken!, options.HeartbeatInterval);
                    await connection.RunAsync(welcome, since, filters, sessions.StartDelivery).ConfigureAwait(false);
                }
                finally
                {
                    await sessions.LeaveAsync(connection).ConfigureAwait(false);
                }
            }
            finally
            {
                connections.Unregister(connection);
            }
        }
    }

    private async Task RefuseAsync(WebSocket socket, string sessionId, string error)
    {
        Log.SessionRejected(logger, "-", sessionId, error);
        using var timeout = new CancellationTokenSource(options.CloseTimeout, time);
        try
        {
            await socket.SendAsync(ServerFrames.Error(ErrorCodes.InvalidResumeToken, error), WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
            await socket.CloseAsync((WebSocketCloseStatus)CloseReason.InvalidResumeToken.Code, CloseReason.InvalidResumeToken.Text, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            socket.Abort();
        }
    }
}
