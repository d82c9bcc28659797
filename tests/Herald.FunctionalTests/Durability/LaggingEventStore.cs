using System.Runtime.CompilerServices;

namespace Herald.FunctionalTests.Durability;

/// <summary>
/// An in-memory log whose feed can be held back, like a node behind a shared log: appends go on, the hub's
/// dispatcher waits, and <see cref="KnownLastId"/> says how far the log really is.
/// </summary>
internal sealed class LaggingEventStore : IEventStore
{
    private readonly InMemoryEventStore _inner = new();
    private volatile TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _appended;

    public LaggingEventStore() => _released.SetResult();

    public long KnownLastId => Interlocked.Read(ref _appended);

    /// <summary>From now on the feed yields nothing until <see cref="Release"/>.</summary>
    public void Hold() => _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _released.TrySetResult();

    public ValueTask InitializeAsync(CancellationToken cancellationToken) => _inner.InitializeAsync(cancellationToken);

    public async ValueTask<IReadOnlyList<HeraldEvent>> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        var stored = await _inner.AppendAsync(events, cancellationToken);
        if (stored.Count > 0)
        {
            Interlocked.Exchange(ref _appended, stored[^1].Id);
        }

        return stored;
    }

    public async IAsyncEnumerable<HeraldEvent> FollowAsync(long afterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _inner.FollowAsync(afterId, cancellationToken))
        {
            await _released.Task.WaitAsync(cancellationToken);
            yield return e;
        }
    }

    public ValueTask<EventPage> ReadAsync(EventQuery query, CancellationToken cancellationToken) => _inner.ReadAsync(query, cancellationToken);

    public ValueTask<HeraldEvent?> GetAsync(long id, CancellationToken cancellationToken) => _inner.GetAsync(id, cancellationToken);

    public ValueTask<EventStoreBounds> GetBoundsAsync(CancellationToken cancellationToken) => _inner.GetBoundsAsync(cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
