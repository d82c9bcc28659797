namespace Herald;

/// <summary>
/// Where Herald keeps events. The hub calls <see cref="AppendAsync"/> from one writer at a time, in
/// order, and acknowledges a publish only after it returns; readers may run concurrently with it.
/// </summary>
/// <remarks>
/// Implementations: <see cref="InMemoryEventStore"/> (tests, no disk) and the SQLite store in
/// <c>Herald.Sqlite</c> (the default for <c>herald serve</c>).
/// </remarks>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Prepares the store (creates files or tables); called once before any other member.</summary>
    /// <param name="cancellationToken">Cancels the start-up.</param>
    /// <exception cref="EventStoreUnavailableException">The store cannot be opened; the message says why.</exception>
    ValueTask InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="events"/> durably as one unit and assigns their ids, in order, each greater
    /// than any id assigned before (also across restarts).
    /// </summary>
    /// <param name="events">The events, in publish order; their <see cref="NewEvent.Time"/> is set.</param>
    /// <param name="cancellationToken">Cancels the append; nothing is stored then.</param>
    /// <returns>The stored events, in the same order.</returns>
    /// <exception cref="EventStoreUnavailableException">The store cannot take writes (disk full, read-only, locked).</exception>
    /// <remarks>
    /// The hub calls it on a thread of its own, so an implementation may block while the disk syncs. It must not
    /// block waiting for a task whose continuation needs the calling thread's context (sync over async).
    /// </remarks>
    ValueTask<IReadOnlyList<HeraldEvent>> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken);

    /// <summary>Reads stored events after <see cref="EventQuery.AfterId"/> in id order.</summary>
    /// <param name="query">What to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<EventPage> ReadAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>Reads one event, or <see langword="null"/> when it does not exist (or retention dropped it).</summary>
    /// <param name="id">The event id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<HeraldEvent?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The ids currently stored.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<EventStoreBounds> GetBoundsAsync(CancellationToken cancellationToken);
}
