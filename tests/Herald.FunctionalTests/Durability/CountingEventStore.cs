namespace Herald.FunctionalTests.Durability;

/// <summary>Wraps a store and counts what is read from it, to prove replays read with back-pressure.</summary>
internal sealed class CountingEventStore(IEventStore inner) : IEventStore
{
    private long _eventsRead;
    private int _initialized;

    public long EventsRead => Interlocked.Read(ref _eventsRead);

    public bool FailAppends { get; set; }

    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _initialized, 1) == 0)
        {
            await inner.InitializeAsync(cancellationToken);
        }
    }

    public ValueTask<IReadOnlyList<HeraldEvent>> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
        => FailAppends
            ? throw new EventStoreUnavailableException("The disk is full (simulated).")
            : inner.AppendAsync(events, cancellationToken);

    public async ValueTask<EventPage> ReadAsync(EventQuery query, CancellationToken cancellationToken)
    {
        var page = await inner.ReadAsync(query, cancellationToken);
        Interlocked.Add(ref _eventsRead, page.Events.Count);
        return page;
    }

    public IAsyncEnumerable<HeraldEvent> FollowAsync(long afterId, CancellationToken cancellationToken) => inner.FollowAsync(afterId, cancellationToken);

    public ValueTask<HeraldEvent?> GetAsync(long id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public ValueTask<EventStoreBounds> GetBoundsAsync(CancellationToken cancellationToken) => inner.GetBoundsAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
