using Herald.Internal.Protocol;

namespace Herald.Internal.Connections;

/// <summary>
/// How many topic patterns a connection may hold and how deep each may be (<c>Herald:MaxSubscriptionsPerConnection</c>,
/// <c>Herald:MaxTopicDepth</c>): the one check behind a <c>subscribe</c> frame and a request's <c>topics</c>.
/// </summary>
internal static class SubscriptionLimits
{
    /// <summary>Why <paramref name="filters"/> may not be subscribed, or null when they may.</summary>
    /// <param name="options">The limits.</param>
    /// <param name="filters">The patterns asked for.</param>
    /// <param name="total">How many patterns the connection would hold with them.</param>
    /// <returns>The <c>error</c> frame's code (<c>topic_too_deep</c> or <c>too_many_subscriptions</c>) and message.</returns>
    public static (string Code, string Message)? Check(HeraldOptions options, IReadOnlyList<TopicFilter> filters, int total)
    {
        foreach (var filter in filters)
        {
            var depth = filter.Pattern.AsSpan().Count('/') + 1;
            if (depth > options.MaxTopicDepth)
            {
                return (ErrorCodes.TopicTooDeep, $"Topic pattern '{filter.Pattern}' has {depth} segments; this server allows at most {options.MaxTopicDepth}.");
            }
        }

        if (total > options.MaxSubscriptionsPerConnection)
        {
            return (ErrorCodes.TooManySubscriptions, $"A connection may hold at most {options.MaxSubscriptionsPerConnection} topic patterns; this would make {total}.");
        }

        return null;
    }
}
