namespace Herald;

/// <summary>A page request over stored events.</summary>
/// <param name="AfterId">Return events with an id greater than this (0 reads from the start).</param>
/// <param name="Limit">The most events to return (at least 1).</param>
/// <param name="Filters">Topic patterns, any of which may match; empty matches every topic.</param>
public sealed record EventQuery(long AfterId, int Limit, IReadOnlyList<TopicFilter> Filters)
{
    /// <summary>Whether <paramref name="topic"/> passes <see cref="Filters"/>.</summary>
    /// <param name="topic">A topic name.</param>
    public bool Matches(string topic)
    {
        if (Filters.Count == 0)
        {
            return true;
        }

        foreach (var filter in Filters)
        {
            if (filter.Matches(topic))
            {
                return true;
            }
        }

        return false;
    }
}
