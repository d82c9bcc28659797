using Herald.Internal.Connections;
using Herald.Internal.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Herald.Internal.Http;

/// <summary><c>GET /api/stream</c>: the same events as Server-Sent Events, with resume.</summary>
internal static class SseEndpoint
{
    public static async Task HandleAsync(HttpContext context, ConnectionFactory factory, ConnectionRegistry connections, Authenticator authenticator)
    {
        // A browser's EventSource resends the URL it started with plus Last-Event-ID, which is newer.
        var resumeFrom = context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : context.Request.Query["since"].ToString();
        if (await StreamRequest.ReadAsync(context, connections, authenticator, resumeFrom).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        var (filters, since, user) = request;
        if (!TryReadNaming(context.Request.Query["sseEvents"].ToString(), out var namedEvents))
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "Invalid sseEvents", "'sseEvents' must be 'unnamed' (the default: every event reaches EventSource.onmessage) or 'named' (each record is also named after the event's type).").ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
        {
            // A stream holds its HTTP/1 connection for good, as an upgraded WebSocket does: it leaves the HTTP
            // connection counts (Kestrel's MaxConcurrentConnections, MaxHttpConnectionsPerAddress), so streams cannot
            // starve REST, and counts in the hub's limits instead. The connection closes when the stream ends.
            response.Headers.Connection = "close";
            context.Features.Get<IDecrementConcurrentConnectionCountFeature>()?.ReleaseConnection();
        }

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.WriteAsync(": connected\n\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
        await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);

        var connection = factory.ForServerSentEvents(context, namedEvents, new ConnectionIdentity("sse", user, context.Connection.RemoteIpAddress, context.Request.Headers.UserAgent.ToString(), context.TraceIdentifier));
        connections.Register(connection);
        try
        {
            await connection.RunAsync(welcome: null, since, filters).ConfigureAwait(false);
        }
        finally
        {
            connections.Unregister(connection);
        }
    }

    /// <summary>Reads <c>sseEvents</c>: empty or <c>unnamed</c> (the default) and <c>named</c>.</summary>
    private static bool TryReadNaming(string value, out bool named)
    {
        named = string.Equals(value, "named", StringComparison.OrdinalIgnoreCase);
        return named || value.Length == 0 || string.Equals(value, "unnamed", StringComparison.OrdinalIgnoreCase);
    }
}
