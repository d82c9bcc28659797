using Herald.Internal.Http;

namespace Herald.Internal.Security;

/// <summary>
/// What a subscriber may receive: the one decision every stream entry point takes (the WebSocket upgrade on both
/// paths, SSE, and <c>subscribe</c> frames), so a pattern is allowed only when one of the user's grants covers it.
/// </summary>
internal static class StreamAccess
{
    /// <summary>
    /// The patterns a new stream subscribes to: those asked for when every one is granted; with no <c>topics</c>
    /// given, everything the user may read.
    /// </summary>
    public static (IReadOnlyList<TopicFilter>? Filters, Refusal? Refusal) Authorize(HeraldUser user, IReadOnlyList<TopicFilter> requested, bool topicsGiven)
    {
        var grants = user.Grants;
        if (!topicsGiven)
        {
            return grants.Subscribe.Count > 0
                ? (grants.Subscribe, null)
                : (null, Refusal.Forbidden("This user may not subscribe to any topic (no herald.subscribe grant)."));
        }

        return NotGranted(grants, requested) is { } pattern
            ? (null, Refusal.Forbidden($"This user may not subscribe to '{pattern.Pattern}': no herald.subscribe grant covers it."))
            : (requested, null);
    }

    /// <summary>The first pattern no grant covers, or null when all are granted.</summary>
    public static TopicFilter? NotGranted(HeraldGrants grants, IReadOnlyList<TopicFilter> requested)
    {
        foreach (var filter in requested)
        {
            if (!grants.CanSubscribe(filter))
            {
                return filter;
            }
        }

        return null;
    }
}
