namespace Herald;

/// <summary>
/// Where Herald keeps sessions: each session's record (owner, resume-token hashes, attachment) and its
/// mailbox of direct messages, shared by every hub (node) that uses the store, plus a feed of changes so each
/// hub learns what other hubs did.
/// </summary>
/// <remarks>
/// <para>Implementations: <see cref="InMemorySessionStore"/> and the SQLite store in <c>Herald.Sqlite</c>, whose records
/// and mailboxes survive a restart. The contract suite <c>SessionStoreContract</c> in Herald's tests checks every
/// implementation against this page.</para>
/// <para>How the hub uses it (docs/architecture.md, "Sessions"):</para>
/// <list type="bullet">
/// <item>The claim on a session is its record's <see cref="SessionRecord.Attachment"/>, written with compare-and-set on
/// <see cref="SessionRecord.Revision"/>: the last join wins, and the hub holding the previous connection learns from
/// <see cref="WatchAsync"/> that it lost the claim and closes that connection (4002).</item>
/// <item>Every direct message goes through the mailbox (<see cref="EnqueueAsync"/>), except that a hub hands a message
/// straight to a session attached to itself once that session's queue has been delivered. The hub holding the
/// session reads the mailbox in order (<see cref="ReadQueueAsync"/>) when it attaches and whenever
/// <see cref="WatchAsync"/> reports a queued message, and removes what it delivered (<see cref="RemoveQueuedAsync"/>).</item>
/// </list>
/// <para>Rules every implementation honours: writes are atomic per session; a record's revision grows on every
/// write; creating a record (expected revision 0) empties any mailbox left under its id, so a new owner never reads an
/// old owner's messages; deleting a record deletes its mailbox; every write and enqueue is reported to every watcher,
/// in the order it happened for each session.</para>
/// </remarks>
public interface ISessionStore : IAsyncDisposable
{
    /// <summary>Prepares the store; called once before any other member.</summary>
    /// <param name="cancellationToken">Cancels the start-up.</param>
    ValueTask InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Reads a session's record, or <see langword="null"/> when there is none (expired records are returned until swept).</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<SessionRecord?> GetAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="record"/> if the stored record's revision is <paramref name="expectedRevision"/>
    /// (0: only if no record is stored; a mailbox left under the id is emptied).
    /// </summary>
    /// <param name="record">The record to store; its <see cref="SessionRecord.Revision"/> is ignored.</param>
    /// <param name="expectedRevision">The revision the caller read, or 0 to create.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is written then.</param>
    /// <returns>The record as stored, with its new revision; <see langword="null"/> when another write came first.</returns>
    ValueTask<SessionRecord?> TryWriteAsync(SessionRecord record, long expectedRevision, CancellationToken cancellationToken);

    /// <summary>Deletes a session's record and mailbox.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="expectedRevision">Delete only this revision; <see langword="null"/> deletes whatever is stored.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>False when there was no such record (or another revision).</returns>
    ValueTask<bool> TryDeleteAsync(string sessionId, long? expectedRevision, CancellationToken cancellationToken);

    /// <summary>Queues a direct message after those already queued, dropping the oldest beyond <paramref name="maxQueued"/>.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="time">When Herald accepted the message, in UTC.</param>
    /// <param name="data">The message body as UTF-8 JSON.</param>
    /// <param name="maxQueued">The most messages kept for one session (at least 1).</param>
    /// <param name="cancellationToken">Cancels the enqueue; nothing is queued then.</param>
    ValueTask<SessionEnqueueResult> EnqueueAsync(string sessionId, DateTimeOffset time, ReadOnlyMemory<byte> data, int maxQueued, CancellationToken cancellationToken);

    /// <summary>Reads queued messages after <paramref name="afterSequence"/>, oldest first, without removing them.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="afterSequence">Return messages with a greater sequence (0 reads from the start).</param>
    /// <param name="limit">The most messages to return (at least 1).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<QueuedMessage>> ReadQueueAsync(string sessionId, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>Removes queued messages up to and including <paramref name="throughSequence"/> (they were delivered).</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="throughSequence">The last delivered message's sequence.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    ValueTask RemoveQueuedAsync(string sessionId, long throughSequence, CancellationToken cancellationToken);

    /// <summary>
    /// Marks every session attached on <paramref name="nodeId"/> as away since <paramref name="awaySince"/>: that node's
    /// connections are gone (it restarted, or it died and another node cleans up after it).
    /// </summary>
    /// <param name="nodeId">The node.</param>
    /// <param name="awaySince">When its connections went away, in UTC.</param>
    /// <param name="cancellationToken">Cancels the update; what was updated stays updated.</param>
    /// <returns>How many sessions were released.</returns>
    ValueTask<int> ReleaseNodeAsync(string nodeId, DateTimeOffset awaySince, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes sessions away since before <paramref name="awayBefore"/> with their mailboxes, messages queued before
    /// <paramref name="messagesBefore"/>, and messages left under ids that have no record.
    /// </summary>
    /// <param name="awayBefore">Records whose <see cref="SessionRecord.AwaySince"/> is earlier (and that are not attached) go.</param>
    /// <param name="messagesBefore">Messages with an earlier <see cref="QueuedMessage.Time"/> go.</param>
    /// <param name="cancellationToken">Cancels the sweep; what was deleted stays deleted.</param>
    /// <returns>How many records and messages were deleted.</returns>
    ValueTask<int> RemoveExpiredAsync(DateTimeOffset awayBefore, DateTimeOffset messagesBefore, CancellationToken cancellationToken);

    /// <summary>Every change from now on, from every writer, until cancelled (then <see cref="OperationCanceledException"/>) or the store is disposed (then the enumeration ends).</summary>
    /// <param name="cancellationToken">Ends the feed.</param>
    IAsyncEnumerable<SessionChange> WatchAsync(CancellationToken cancellationToken);
}
