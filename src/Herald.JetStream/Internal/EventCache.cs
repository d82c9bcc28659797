namespace Herald.JetStream.Internal;

/// <summary>
/// The newest events this node has followed, in id order, so replays and history reads of the recent past are
/// answered from memory: a resume storm reads the same few thousand events once per client. It covers an unbroken
/// range of the stream, the newest events this node has followed, or nothing.
/// </summary>
internal sealed class EventCache(int capacity, long maxBytes)
{
    /// <summary>What an event costs the cache beyond its payload: the object, its strings, the slot.</summary>
    private const int Overhead = 200;

    private readonly HeraldEvent[] _ring = new HeraldEvent[Math.Max(capacity, 1)];
    private readonly Lock _lock = new();
    private int _head;
    private int _count;
    private long _bytes;

    /// <summary>The stream sequence the covered range starts after (its first event may come later if ids were skipped).</summary>
    private long _coversFrom;

    public bool Enabled => capacity > 0;

    /// <summary>Starts over: the range begins after <paramref name="afterId"/>.</summary>
    public void Reset(long afterId)
    {
        lock (_lock)
        {
            Array.Clear(_ring);
            _head = 0;
            _count = 0;
            _bytes = 0;
            _coversFrom = afterId;
        }
    }

    /// <summary>Adds events that follow the newest one held, dropping the oldest beyond capacity.</summary>
    public void Add(IReadOnlyList<HeraldEvent> events)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var e in events)
            {
                var size = Size(e);
                while (_count > 0 && (_count == _ring.Length || _bytes + size > maxBytes))
                {
                    var oldest = _ring[_head];
                    _coversFrom = oldest.Id;
                    _bytes -= Size(oldest);
                    _ring[_head] = null!;
                    _head = (_head + 1) % _ring.Length;
                    _count--;
                }

                if (size > maxBytes)
                {
                    // Larger than the whole cache: the cache now covers nothing before or including it.
                    _coversFrom = e.Id;
                    continue;
                }

                _ring[(_head + _count) % _ring.Length] = e;
                _count++;
                _bytes += size;
            }
        }
    }

    /// <summary>
    /// Answers <paramref name="query"/> from memory when the cache covers everything after its
    /// <see cref="EventQuery.AfterId"/>; null otherwise. <paramref name="through"/> is the last id this node has
    /// followed: the page reaches the end there, because what comes later reaches this node's subscribers live.
    /// </summary>
    public EventPage? TryRead(EventQuery query, long through)
    {
        if (!Enabled)
        {
            return null;
        }

        lock (_lock)
        {
            if (query.AfterId < _coversFrom)
            {
                return null;
            }

            var events = new List<HeraldEvent>(Math.Min(query.Limit, 256));
            var scanned = Math.Max(query.AfterId, _coversFrom);
            for (var i = First(query.AfterId); i < _count; i++)
            {
                var e = _ring[(_head + i) % _ring.Length];
                scanned = e.Id;
                if (query.Matches(e.Topic))
                {
                    events.Add(e);
                    if (events.Count == query.Limit)
                    {
                        var last = _count > 0 ? _ring[(_head + _count - 1) % _ring.Length].Id : _coversFrom;
                        return new EventPage(events, scanned, scanned >= last && last >= through);
                    }
                }
            }

            return new EventPage(events, Math.Max(scanned, through), true);
        }
    }

    /// <summary>One event by id, when the cache holds it.</summary>
    public HeraldEvent? TryGet(long id)
    {
        lock (_lock)
        {
            var i = First(id - 1);
            return i < _count && _ring[(_head + i) % _ring.Length].Id == id ? _ring[(_head + i) % _ring.Length] : null;
        }
    }

    private static long Size(HeraldEvent e) => Overhead + e.Data.Length + (2L * (e.Topic.Length + e.Type.Length + (e.Source?.Length ?? 0)));

    /// <summary>The position of the first event with an id greater than <paramref name="afterId"/> (binary search).</summary>
    private int First(long afterId)
    {
        int low = 0, high = _count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_ring[(_head + middle) % _ring.Length].Id <= afterId)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
