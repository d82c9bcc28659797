using System.Net;
using Herald.Internal.Connections;
using Herald.Internal.Security;
using Microsoft.AspNetCore.Http;

namespace Herald.Internal.Http;

/// <summary>
/// What every subscriber connection (WebSocket or SSE) must pass before it is opened: room in the hub and for its
/// address, a hub that is not stopping, valid topic patterns within the subscription limits and a valid resume position.
/// </summary>
internal static class StreamRequest
{
    /// <summary>
    /// Reads the request's topics and resume position and who it is, or writes the refusal (400, 401, 403, 429, 503) and
    /// returns null.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="connections">The connections open on this node.</param>
    /// <param name="authenticator">Who the request is.</param>
    /// <param name="sinceText">The resume position as sent (empty when absent).</param>
    public static async Task<(IReadOnlyList<TopicFilter> Filters, long? Since, HeraldUser User)?> ReadAsync(HttpContext context, ConnectionRegistry connections, Authenticator authenticator, string sinceText)
    {
        var topics = context.Request.Query["topics"].ToString();
        var check = Check(connections, context.Connection.RemoteIpAddress, topics, sinceText);
        if (check.Refusal is { } refusal)
        {
            await Problems.Write(context, refusal).ConfigureAwait(false);
            return null;
        }

        var auth = await authenticator.AuthenticateAsync(context).ConfigureAwait(false);
        if (!auth.Succeeded)
        {
            await Problems.Write(context, Refusal.Unauthorized(auth.Reason!)).ConfigureAwait(false);
            return null;
        }

        var (filters, forbidden) = StreamAccess.Authorize(auth.User!, check.Filters!, topics.Length > 0);
        if (forbidden is not null)
        {
            await Problems.Write(context, forbidden).ConfigureAwait(false);
            return null;
        }

        return (filters!, check.Since, auth.User!);
    }

    /// <summary>The same checks for any transport: the topics and resume position, or why the request is refused.</summary>
    public static StreamCheck Check(ConnectionRegistry connections, IPAddress? remoteAddress, string? topics, string? sinceText)
    {
        if (connections.IsFull)
        {
            // Refused before any upgrade or stream: cheap, and nothing is held for it.
            return new(Full);
        }

        if (connections.IsFullFor(remoteAddress))
        {
            return new(FullForAddress);
        }

        if (connections.IsStopping)
        {
            return new(new Refusal(StatusCodes.Status503ServiceUnavailable, "Shutting down", "Herald is shutting down; reconnect shortly."));
        }

        if (!TopicFilter.TryParseList(topics, out var filters, out var error))
        {
            return new(new Refusal(StatusCodes.Status400BadRequest, "Invalid topics", error));
        }

        if (SubscriptionLimits.Check(connections.Options, filters, filters.Count) is { } limit)
        {
            return new(new Refusal(StatusCodes.Status400BadRequest, "Invalid topics", limit.Message));
        }

        if (string.IsNullOrEmpty(sinceText))
        {
            return new(filters, null);
        }

        if (!long.TryParse(sinceText, out var since) || since < 0)
        {
            return new(new Refusal(StatusCodes.Status400BadRequest, "Invalid since", "'since' (or Last-Event-ID) must be a non-negative integer event id."));
        }

        return new(filters, since);
    }

    /// <summary>The answer when the hub holds as many connections as it may.</summary>
    public static readonly Refusal Full = new(StatusCodes.Status503ServiceUnavailable, "Connection limit reached", "Herald holds as many connections as it is configured for (Herald:MaxConnections); try again later.");

    /// <summary>The answer when the caller's address holds as many connections as one address may.</summary>
    public static readonly Refusal FullForAddress = new(StatusCodes.Status429TooManyRequests, "Too many connections", "This address holds as many connections as one address may (Herald:MaxConnectionsPerAddress); close one or try again later.");

    public static Task RefuseFullAsync(HttpContext context)
        => Problems.Write(context, Full.Status, Full.Title, Full.Detail);
}
