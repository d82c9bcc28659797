using Herald.Internal.Connections;

namespace Herald.Internal.Dispatch;

/// <summary>
/// Which connections want which topics. Exact patterns are found by hash; wildcard patterns are
/// matched once per distinct topic and the result cached until the set of wildcard patterns changes.
/// </summary>
internal sealed class SubscriptionIndex
{
    private const int MaxCachedTopics = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<HeraldConnection>> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<TopicFilter, HashSet<HeraldConnection>> _wildcards = [];
    private readonly Dictionary<string, HashSet<HeraldConnection>[]> _matchCache = new(StringComparer.Ordinal);

    public void Add(HeraldConnection connection, IEnumerable<TopicFilter> filters)
    {
        lock (_lock)
        {
            foreach (var filter in filters)
            {
                if (filter.IsExact)
                {
                    GetOrAdd(_exact, filter.Pattern).Add(connection);
                }
                else
                {
                    if (!_wildcards.ContainsKey(filter))
                    {
                        _matchCache.Clear();
                    }

                    GetOrAdd(_wildcards, filter).Add(connection);
                }
            }
        }
    }

    public void Remove(HeraldConnection connection, IEnumerable<TopicFilter> filters)
    {
        lock (_lock)
        {
            foreach (var filter in filters)
            {
                if (filter.IsExact)
                {
                    RemoveFrom(_exact, filter.Pattern, connection);
                }
                else if (RemoveFrom(_wildcards, filter, connection))
                {
                    _matchCache.Clear();
                }
            }
        }
    }

    public void RemoveAll(HeraldConnection connection) => Remove(connection, connection.FilterSnapshot());

    /// <summary>
    /// Offers the event to every connection whose patterns match its topic, encoded once (an
    /// <see cref="EventFrame"/>) for all of them, and not at all when nobody matches.
    /// </summary>
    /// <returns>
    /// How many subscriptions matched (a connection matched twice is offered twice and sends once), and how many
    /// connections queued the event.
    /// </returns>
    public (int Matched, int Queued) Dispatch(HeraldEvent e)
    {
        var matched = 0;
        var queued = 0;
        EventFrame? frame = null;
        lock (_lock)
        {
            if (_exact.TryGetValue(e.Topic, out var exact))
            {
                matched += Offer(exact, e, ref frame, ref queued);
            }

            if (_wildcards.Count == 0)
            {
                return (matched, queued);
            }

            foreach (var set in MatchingWildcards(e.Topic))
            {
                matched += Offer(set, e, ref frame, ref queued);
            }
        }

        return (matched, queued);
    }

    private static int Offer(HashSet<HeraldConnection> connections, HeraldEvent e, ref EventFrame? frame, ref int queued)
    {
        if (connections.Count == 0)
        {
            return 0;
        }

        frame ??= new EventFrame(e);
        foreach (var connection in connections)
        {
            if (connection.OfferEvent(frame))
            {
                queued++;
            }
        }

        return connections.Count;
    }

    private HashSet<HeraldConnection>[] MatchingWildcards(string topic)
    {
        if (_matchCache.TryGetValue(topic, out var cached))
        {
            return cached;
        }

        var matches = _wildcards.Where(w => w.Key.Matches(topic)).Select(w => w.Value).ToArray();
        if (_matchCache.Count >= MaxCachedTopics)
        {
            _matchCache.Clear();
        }

        _matchCache[topic] = matches;
        return matches;
    }

    private static HashSet<HeraldConnection> GetOrAdd<TKey>(Dictionary<TKey, HashSet<HeraldConnection>> map, TKey key)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var set))
        {
            map[key] = set = [];
        }

        return set;
    }

    /// <returns>True when the key's last connection left and the key was removed.</returns>
    private static bool RemoveFrom<TKey>(Dictionary<TKey, HashSet<HeraldConnection>> map, TKey key, HeraldConnection connection)
        where TKey : notnull
    {
        if (map.TryGetValue(key, out var set) && set.Remove(connection) && set.Count == 0)
        {
            map.Remove(key);
            return true;
        }

        return false;
    }
}
