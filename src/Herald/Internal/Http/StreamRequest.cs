using Microsoft.AspNetCore.Http;

namespace Herald.Internal.Http;

/// <summary>
/// What every subscriber connection (WebSocket or SSE) must pass before it is opened: room in the hub,
/// a hub that is not stopping, valid topic patterns and a valid resume position.
/// </summary>
internal static class StreamRequest
{
    /// <summary>Reads the request's topics and resume position, or writes the refusal and returns null.</summary>
    /// <param name="context">The request.</param>
    /// <param name="hub">The hub.</param>
    /// <param name="sinceText">The resume position as sent (empty when absent).</param>
    public static async Task<(IReadOnlyList<TopicFilter> Filters, long? Since)?> ReadAsync(HttpContext context, HubCore hub, string sinceText)
    {
        if (hub.IsFull)
        {
            // Refused before any upgrade or stream: cheap, and nothing is held for it.
            await RefuseFullAsync(context).ConfigureAwait(false);
            return null;
        }

        if (hub.IsStopping)
        {
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Shutting down", "Herald is shutting down; reconnect shortly.").ConfigureAwait(false);
            return null;
        }

        if (!TopicFilter.TryParseList(context.Request.Query["topics"], out var filters, out var error))
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "Invalid topics", error).ConfigureAwait(false);
            return null;
        }

        if (sinceText.Length == 0)
        {
            return (filters, null);
        }

        if (!long.TryParse(sinceText, out var since) || since < 0)
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "Invalid since", "'since' (or Last-Event-ID) must be a non-negative integer event id.").ConfigureAwait(false);
            return null;
        }

        return (filters, since);
    }

    public static Task RefuseFullAsync(HttpContext context)
        => Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Connection limit reached", "Herald holds as many connections as it is configured for (Herald:MaxConnections); try again later.");
}
