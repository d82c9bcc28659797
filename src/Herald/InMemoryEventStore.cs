namespace Herald;

/// <summary>
/// An event store in process memory: nothing survives a restart. Keeps at most
/// <see cref="Capacity"/> events, dropping the oldest. Several hubs in one process may share one instance.
/// </summary>
public sealed class InMemoryEventStore : IEventStore
{
    private readonly Lock _lock = new();
    private readonly HeraldEvent[] _ring;
    private readonly TimeProvider _time;
    private readonly EventFeed _feed;
    private readonly IdempotencyWindow _keys = new();
    private long _lastId;
    private int _count;

    /// <summary>Creates a store holding at most <paramref name="capacity"/> events (default 100,000).</summary>
    /// <param name="capacity">The most events kept; the oldest are dropped first.</param>
    /// <param name="timeProvider">The clock for <see cref="HeraldEvent.StoredAt"/> and events without a time; the system clock when omitted.</param>
    public InMemoryEventStore(int capacity = 100_000, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _ring = new HeraldEvent[capacity];
        _time = timeProvider ?? TimeProvider.System;
        _feed = new EventFeed(ReadAsync);
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
            var now = _time.GetUtcNow();
            var added = new List<HeraldEvent>(events.Count);
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if (e.IdempotencyKey is { } key && _keys.TryGet(key, now, out var storedId))
                {
                    // A retry: answered with the id it was stored under, and not stored or fanned out again.
                    stored[i] = new HeraldEvent(storedId, e.Topic, e.Type, e.Time ?? now, e.Source, e.Data, now);
                    continue;
                }

                var id = ++_lastId;
                var stamped = new HeraldEvent(id, e.Topic, e.Type, e.Time ?? now, e.Source, e.Data, now);
                _ring[(id - 1) % _ring.Length] = stamped;
                _count = Math.Min(_count + 1, _ring.Length);
                stored[i] = stamped;
                added.Add(stamped);
                if (e.IdempotencyKey is { } newKey)
                {
                    _keys.Add(newKey, id, now);
                }
            }

            _feed.Publish(added);
        }

        return ValueTask.FromResult<IReadOnlyList<HeraldEvent>>(stored);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<HeraldEvent> FollowAsync(long afterId, CancellationToken cancellationToken) => _feed.FollowAsync(afterId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<EventPage> ReadAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var result = new List<HeraldEvent>(Math.Min(query.Limit, 256));
        lock (_lock)
        {
            if (query.AfterId >= _lastId)
            {
                return ValueTask.FromResult(new EventPage([], query.AfterId, ReachedEnd: true));
            }

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
    /// <remarks>Ends every follow feed; the events stay readable.</remarks>
    public ValueTask DisposeAsync()
    {
        _feed.Complete();
        return ValueTask.CompletedTask;
    }
}
