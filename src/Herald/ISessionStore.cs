namespace Herald;

/// <summary>
/// Where Herald keeps direct messages for sessions whose socket is down, and the key that signs
/// resume tokens. Messages for connected sessions never touch the store.
/// </summary>
/// <remarks>
/// Implementations: <see cref="InMemorySessionStore"/> and the SQLite store in <c>Herald.Sqlite</c>,
/// whose queued messages and key survive a restart.
/// </remarks>
public interface ISessionStore : IAsyncDisposable
{
    /// <summary>Prepares the store; called once before any other member.</summary>
    /// <param name="cancellationToken">Cancels the start-up.</param>
    ValueTask InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The secret key (at least 32 bytes) that signs resume tokens. It must stay the same across restarts
    /// for stored sessions to be resumable, so a durable store creates it once and keeps it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<byte[]> GetTokenKeyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Queues <paramref name="message"/> for <paramref name="sessionId"/> after the ones already queued,
    /// dropping the oldest when more than <paramref name="maxPerSession"/> would be queued.
    /// </summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="message">The message.</param>
    /// <param name="maxPerSession">The most messages kept for one session.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many older messages were dropped to make room.</returns>
    ValueTask<int> EnqueueAsync(string sessionId, SessionMessage message, int maxPerSession, CancellationToken cancellationToken);

    /// <summary>Removes and returns every message queued for <paramref name="sessionId"/>, oldest first.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="cancellationToken">Cancels the read; nothing is removed then.</param>
    ValueTask<IReadOnlyList<SessionMessage>> TakeAllAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Whether any message is queued for <paramref name="sessionId"/>.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<bool> HasMessagesAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Deletes messages queued before <paramref name="cutoff"/>.</summary>
    /// <param name="cutoff">Messages with an earlier <see cref="SessionMessage.Time"/> are deleted.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>How many were deleted.</returns>
    ValueTask<int> RemoveExpiredAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
