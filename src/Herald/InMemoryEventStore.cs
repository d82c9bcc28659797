namespace Herald;

/// <summary>
/// An event store in process memory: nothing survives a restart. Keeps at most
/// <see cref="Capacity"/> events, dropping the oldest.
/// </summary>
public sealed class InMemoryEventStore : IEventStore
{
    private readonly Lock _lock = new();
    private readonly HeraldEvent[] _ring;
    private long _lastId;
    private int _count;

    /// <summary>Creates a store holding at most <paramref name="capacity"/> events (default 100,000).</summary>
    /// <param name="capacity">The most events kept; the oldest are dropped first.</param>
    public InMemoryEventStore(int capacity = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _ring = new HeraldEvent[capacity];
    }

    /// <summary>The most events kept.</summary>
    public int Capacity => _ring.Length;

    /// <inheritdoc />
    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<HeraldEvent>> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        cancellationToken.ThrowIfCancellationRequested();
        var stored = new HeraldEvent[events.Count];
        lock (_lock)
        {
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                var id = ++_lastId;
                var stamped = new HeraldEvent(id, e.Topic, e.Type, e.Time ?? DateTimeOffset.UtcNow, e.Source, e.Data);
                _ring[(id - 1) % _ring.Length] = stamped;
                _count = Math.Min(_count + 1, _ring.Length);
                stored[i] = stamped;
            }
        }

        return ValueTask.FromResult<IReadOnlyList<HeraldEvent>>(stored);
    }

    /// <inheritdoc />
    public ValueTask<EventPage> ReadAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var result = new List<HeraldEvent>(Math.Min(query.Limit, 256));
        lock (_lock)
        {
            var first = _lastId - _count + 1;
            var id = Math.Max(query.AfterId + 1, first);
            // Bound the scan so a sparse topic cannot hold the lock for the whole ring.
            var scanLimit = Math.Max(query.Limit * 16L, 4096);
            var scanned = query.AfterId;
            for (; id <= _lastId && result.Count < query.Limit && scanLimit-- > 0; id++)
            {
                var e = _ring[(id - 1) % _ring.Length];
                scanned = id;
                if (query.Matches(e.Topic))
                {
                    result.Add(e);
                }
            }

            return ValueTask.FromResult(new EventPage(result, Math.Max(scanned, query.AfterId), scanned >= _lastId));
        }
    }

    /// <inheritdoc />
    public ValueTask<HeraldEvent?> GetAsync(long id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var first = _lastId - _count + 1;
            return ValueTask.FromResult(id >= first && id <= _lastId ? _ring[(id - 1) % _ring.Length] : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<EventStoreBounds> GetBoundsAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(new EventStoreBounds(_count == 0 ? 0 : _lastId - _count + 1, _lastId));
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
