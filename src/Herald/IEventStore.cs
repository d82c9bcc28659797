namespace Herald;

/// <summary>
/// Herald's event log: where events are appended, stored and read back, and the feed that every hub's
/// dispatcher follows. Appending and dispatching are separate: a hub acknowledges a publish once
/// <see cref="AppendAsync"/> returns, and fans out only what <see cref="FollowAsync"/> yields, so several hubs
/// (in one process, or nodes of one cluster) that share a log each deliver every event once and in order,
/// whichever hub appended it.
/// </summary>
/// <remarks>
/// <para>Implementations: <see cref="InMemoryEventStore"/> (tests, no disk) and the SQLite store in
/// <c>Herald.Sqlite</c> (the default for <c>herald serve</c>). Both feed <see cref="FollowAsync"/> in process
/// from their append with an <see cref="EventFeed"/>; a shared log (a replicated stream) feeds it from the stream.
/// The contract suite <c>EventStoreContract</c> in Herald's tests checks every implementation against this page.</para>
/// <para>Rules every implementation honours:</para>
/// <list type="bullet">
/// <item>Ids are greater than zero, strictly increasing in the order appends commit, and never reused (also across
/// restarts and after retention removed events).</item>
/// <item><see cref="AppendAsync"/> may be called concurrently (each hub appends from one thread of its own, and
/// several hubs may share the log); each call commits as one unit.</item>
/// <item>Readers (<see cref="ReadAsync"/>, <see cref="GetAsync"/>, <see cref="GetBoundsAsync"/>,
/// <see cref="FollowAsync"/>) run concurrently with appends and see only committed events.</item>
/// <item>Topics are stored exactly as published (any character <see cref="TopicName"/> allows), and a pattern
/// <c>a/#</c> matches <c>a</c> itself as well as everything below it (docs/protocol.md, "Topics").</item>
/// </list>
/// </remarks>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Prepares the store (creates files or tables); called once before any other member.</summary>
    /// <param name="cancellationToken">Cancels the start-up.</param>
    /// <exception cref="EventStoreUnavailableException">The store cannot be opened; the message says why.</exception>
    ValueTask InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="events"/> durably as one unit and assigns their ids, in order, each greater
    /// than any id assigned before (also across restarts and by other writers).
    /// </summary>
    /// <param name="events">The events, in publish order; their <see cref="NewEvent.Time"/> is set.</param>
    /// <param name="cancellationToken">Cancels the append; nothing is stored then.</param>
    /// <returns>The stored events, in the same order, with <see cref="HeraldEvent.StoredAt"/> set.</returns>
    /// <exception cref="EventStoreUnavailableException">The store cannot take writes (disk full, read-only, locked, unreachable).</exception>
    /// <remarks>
    /// The hub calls it on a thread of its own, so an implementation may block while the disk syncs. It must not
    /// block waiting for a task whose continuation needs the calling thread's context (sync over async).
    /// </remarks>
    ValueTask<IReadOnlyList<HeraldEvent>> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Every event stored after <paramref name="afterId"/>, from every writer, in id order, with no gap and no
    /// duplicate: first what is already stored, then each event as it commits, until cancelled.
    /// </summary>
    /// <param name="afterId">Yield events with a greater id (a hub passes the last id stored when it started).</param>
    /// <param name="cancellationToken">Ends the feed; the enumeration then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>
    /// The feed. Yielded events carry <see cref="HeraldEvent.StoredAt"/> when the log knows it. Events that retention
    /// removed before they could be yielded are skipped (the feed goes on from the oldest one still stored). The
    /// enumeration ends without an exception when the store is disposed, and throws
    /// <see cref="EventStoreUnavailableException"/> when the store cannot be read; the caller follows again from its
    /// last id.
    /// </returns>
    IAsyncEnumerable<HeraldEvent> FollowAsync(long afterId, CancellationToken cancellationToken);

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

    /// <summary>
    /// The id of the newest event this node knows the log holds, which may be ahead of what
    /// <see cref="FollowAsync"/> has yielded here so far; 0 when the store does not track it (the default).
    /// </summary>
    /// <remarks>
    /// A connection that subscribes without <c>since</c> starts after this id, so a node that is behind a shared log
    /// does not send a new client the events stored before it connected. Read on every new connection: it must be
    /// cheap and must not block. Stores fed in process (memory, SQLite) dispatch as they append and leave it at 0.
    /// </remarks>
    long KnownLastId => 0;
}
