using System.Text.Json;

namespace Herald;

/// <summary>
/// Herald's in-process API: publish events, message sessions, and look at connections. Inject it
/// anywhere after <c>AddHerald()</c>; it works with no clients and with no web server listening.
/// </summary>
public interface IHeraldHub
{
    /// <summary>Open WebSocket and SSE connections on this node.</summary>
    int ConnectionCount { get; }

    /// <summary>Publishes one event and completes once it is stored, with its assigned id.</summary>
    /// <param name="newEvent">The event.</param>
    /// <param name="cancellationToken">Stops waiting; the event may still be published.</param>
    /// <exception cref="EventStoreUnavailableException">The store could not take the event.</exception>
    ValueTask<HeraldEvent> PublishAsync(NewEvent newEvent, CancellationToken cancellationToken = default);

    /// <summary>Publishes events in order, stored in one commit, and completes once they are stored.</summary>
    /// <param name="events">The events.</param>
    /// <param name="cancellationToken">Stops waiting; the events may still be published.</param>
    /// <exception cref="EventStoreUnavailableException">The store could not take the events.</exception>
    ValueTask<IReadOnlyList<HeraldEvent>> PublishAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues an event without waiting: safe to call from synchronous code, never blocks. The event is
    /// stored and fanned out in the background.
    /// </summary>
    /// <param name="newEvent">The event.</param>
    /// <returns>False when the publish queue is full or Herald is stopping (the event is dropped and counted).</returns>
    bool Publish(NewEvent newEvent);

    /// <summary>
    /// Sends a direct message to a session: straight to its socket when it is attached to this node, otherwise
    /// through its mailbox, which the node holding the session (or the session's next connection) delivers from.
    /// </summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="data">The message body; clients receive it as the <c>data</c> of a <c>message</c> frame.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>Whether it was delivered here, queued, or had no session to go to.</returns>
    ValueTask<SessionMessageOutcome> SendToSessionAsync(string sessionId, JsonElement data, CancellationToken cancellationToken = default);

    /// <summary>Sends the same direct message to several sessions (queued for those that are away).</summary>
    /// <param name="sessionIds">The sessions.</param>
    /// <param name="data">The message body.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    ValueTask SendToSessionsAsync(IEnumerable<string> sessionIds, JsonElement data, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a session: deletes its record and queued messages, and closes its connection (4003) on whichever node
    /// holds it. Its resume token stops working; a later join of the same id gets a new session.
    /// </summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>False when there was no such session.</returns>
    ValueTask<bool> EndSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a direct message to every client connected to the hub, on every node (not queued for absent sessions).
    /// Never blocks: other nodes deliver theirs as the <see cref="IClusterBus"/> carries it.
    /// </summary>
    /// <param name="data">The message body.</param>
    /// <returns>How many connections on this node it was queued on.</returns>
    int BroadcastMessage(JsonElement data);

    /// <summary>Waits for the next <c>message</c> frame a session's clients on this node send.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The message, or <see langword="null"/> when none arrived within <paramref name="timeout"/>.</returns>
    ValueTask<SessionMessage?> ReceiveAsync(string sessionId, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>The connections open on this node (a snapshot).</summary>
    IReadOnlyList<IHeraldConnection> GetConnections();

    /// <summary>Finds a connection open on this node.</summary>
    /// <param name="connectionId">The connection id.</param>
    IHeraldConnection? GetConnection(string connectionId);

    /// <summary>Closes a connection with code 4003 and <paramref name="reason"/> on whichever node holds it.</summary>
    /// <param name="connectionId">The connection id.</param>
    /// <param name="reason">The close reason the client sees (at most 123 bytes of UTF-8).</param>
    /// <param name="cancellationToken">Stops waiting for the other nodes' answers.</param>
    /// <returns>False when no node holds such a connection (nodes that do not answer within 2 seconds count as not holding it).</returns>
    ValueTask<bool> CloseConnectionAsync(string connectionId, string reason = "closed by server", CancellationToken cancellationToken = default);

    /// <summary>Closes a connection open on this node with code 4003 and <paramref name="reason"/>.</summary>
    /// <param name="connectionId">The connection id.</param>
    /// <param name="reason">The close reason the client sees (at most 123 bytes of UTF-8).</param>
    /// <returns>False when no such connection is open.</returns>
    bool CloseConnection(string connectionId, string reason = "closed by server");

    /// <summary>The hub's counters.</summary>
    HeraldMetricsSnapshot GetMetrics();
}
