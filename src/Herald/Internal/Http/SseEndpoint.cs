using Herald.Internal.Transports;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Herald.Internal.Http;

/// <summary><c>GET /api/stream</c>: the same events as Server-Sent Events, with resume.</summary>
internal static class SseEndpoint
{
    public static async Task HandleAsync(HttpContext context, HubCore hub)
    {
        var query = context.Request.Query;
        if (!TopicFilter.TryParseList(query["topics"], out var filters, out var error))
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "Invalid topics", error).ConfigureAwait(false);
            return;
        }

        // A browser's EventSource resends the URL it started with plus Last-Event-ID, which is newer.
        var resumeFrom = context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : query["since"].ToString();
        long? since = null;
        if (resumeFrom.Length > 0)
        {
            if (!long.TryParse(resumeFrom, out var value) || value < 0)
            {
                await Problems.Write(context, StatusCodes.Status400BadRequest, "Invalid since", "'since' and Last-Event-ID must be a non-negative integer event id.").ConfigureAwait(false);
                return;
            }

            since = value;
        }

        if (hub.IsStopping)
        {
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Shutting down", "Herald is shutting down; reconnect shortly.").ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.WriteAsync(": connected\n\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
        await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);

        var connection = new HeraldConnection(new SseTransport(context), hub, "sse", context.Connection.RemoteIpAddress, context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null);
        hub.Register(connection);
        try
        {
            await connection.RunAsync(welcome: null, since, filters).ConfigureAwait(false);
        }
        finally
        {
            hub.Unregister(connection);
        }
    }
}
