namespace Herald;

/// <summary>
/// The idempotency keys (<see cref="NewEvent.IdempotencyKey"/>) a log that lives in one process stored recently, with
/// the id each was stored under, so a retried publish is answered with the first one's id instead of being stored
/// twice. Keys are kept for <see cref="Window"/> and at most <see cref="Capacity"/> of them, the oldest forgotten first.
/// Not thread-safe: call it inside the log's write lock.
/// </summary>
/// <remarks>Used by <see cref="InMemoryEventStore"/> and the SQLite store; a shared log deduplicates on its own (JetStream's duplicate window).</remarks>
public sealed class IdempotencyWindow
{
    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset Time)> _order = new();

    /// <summary>Creates a window.</summary>
    /// <param name="window">How long a key is remembered. Default 2 minutes (JetStream's default duplicate window).</param>
    /// <param name="capacity">The most keys remembered. Default 100,000.</param>
    public IdempotencyWindow(TimeSpan? window = null, int capacity = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Window = window ?? TimeSpan.FromMinutes(2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Window, TimeSpan.Zero);
        Capacity = capacity;
    }

    /// <summary>How long a key is remembered.</summary>
    public TimeSpan Window { get; }

    /// <summary>The most keys remembered.</summary>
    public int Capacity { get; }

    /// <summary>The id stored under <paramref name="key"/> within the window, if any.</summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="now">The current time.</param>
    /// <param name="id">The id the key was stored under.</param>
    public bool TryGet(string key, DateTimeOffset now, out long id)
    {
        Forget(now);
        return _ids.TryGetValue(key, out id);
    }

    /// <summary>Remembers that <paramref name="key"/> was stored as <paramref name="id"/> at <paramref name="now"/>.</summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="id">The stored event's id.</param>
    /// <param name="now">The current time.</param>
    public void Add(string key, long id, DateTimeOffset now)
    {
        if (_ids.TryAdd(key, id))
        {
            _order.Enqueue((key, now));
            while (_order.Count > Capacity)
            {
                _ids.Remove(_order.Dequeue().Key);
            }
        }
    }

    private void Forget(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && now - oldest.Time > Window)
        {
            _ids.Remove(_order.Dequeue().Key);
        }
    }
}
