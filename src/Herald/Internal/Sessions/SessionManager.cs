using System.Collections.Concurrent;
using Herald.Internal.Connections;
using Herald.Internal.Diagnostics;
using Herald.Internal.Protocol;
using Microsoft.Extensions.Logging;

namespace Herald.Internal.Sessions;

/// <summary>
/// Sessions, the logical clients that survive reconnects, on top of the shared <see cref="ISessionStore"/>. A join
/// claims the session for one connection in the whole hub (the record's attachment, written with compare-and-set)
/// and rotates its resume token; the store's change feed tells this node when another node took a session over,
/// revoked it, or queued a message for it. Direct messages go through the session's mailbox, except that a session
/// attached here, with its mailbox delivered, takes messages sent on this node straight away.
/// </summary>
internal sealed class SessionManager(ISessionStore store, HeraldOptions options, TimeProvider time, HeraldMetrics metrics, ILogger logger)
{
    /// <summary>The longest session id a client may choose.</summary>
    public const int MaxSessionIdLength = 128;

    private const int MaxJoinAttempts = 8;

    private readonly ConcurrentDictionary<string, AttachedSession> _attached = new(StringComparer.Ordinal);
    private readonly MailboxServices _mailboxes = new(store, options, time, logger);
    private readonly CancellationTokenSource _stopping = new();
    private Task _watch = Task.CompletedTask;

    public SessionInboxes Inboxes { get; } = new(options, time);

    /// <summary>Sessions attached to connections on this node.</summary>
    public int AttachedCount => _attached.Count;

    /// <summary>Opens the store, releases what this node held before it restarted, and starts following changes.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await store.ReleaseNodeAsync(options.NodeId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        _watch = Task.Run(WatchAsync, CancellationToken.None);
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watch.ConfigureAwait(false);
    }

    /// <summary>Checks a session id a client asked for; null when it may be used.</summary>
    public static string? CheckId(string sessionId)
        => sessionId.Length > MaxSessionIdLength || sessionId.Any(char.IsControl) || sessionId.Any(char.IsWhiteSpace)
            ? $"A session id must be at most {MaxSessionIdLength} printable characters without spaces."
            : null;

    /// <summary>Whether <paramref name="id"/> is in <paramref name="owner"/>'s name: the subject itself or <c>subject:…</c>.</summary>
    public static bool IsNamedFor(string id, string owner)
        => id.StartsWith(owner, StringComparison.Ordinal) && (id.Length == owner.Length || id[owner.Length] == ':');

    /// <summary>A new session id for a client that did not ask for one.</summary>
    public static string NewId() => ConnectionIds.Next();

    /// <summary>
    /// Claims the connection's session for it. A session with live state (attached, or away within its time to live)
    /// is joined only with its current (or last used) resume token and by its owner; any other id gets a new session,
    /// with an empty mailbox. The previous connection of the session, wherever it is, is closed with 4002.
    /// </summary>
    /// <param name="connection">The connection; its <see cref="HeraldConnection.SessionId"/> names the session.</param>
    /// <param name="resumeToken">The token the client presented, if any.</param>
    /// <param name="owner">The authenticated subject, or null when authentication is off.</param>
    /// <param name="chosenByClient">
    /// Whether the client named the session. With authentication on, a client may create only sessions in its own
    /// name: the subject itself or <c>subject:anything</c>, so nobody can claim a session meant for someone else
    /// before its owner joins (or once it expired) and receive that owner's direct messages.
    /// </param>
    public async Task<SessionJoin> JoinAsync(HeraldConnection connection, string? resumeToken, string? owner, bool chosenByClient = true)
    {
        var id = connection.SessionId;
        var presented = string.IsNullOrEmpty(resumeToken) ? null : SessionTokens.Hash(resumeToken);
        for (var attempt = 0; attempt < MaxJoinAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            var current = await store.GetAsync(id, CancellationToken.None).ConfigureAwait(false);
            if (current is not null && current.IsExpired(now, options.SessionTtl))
            {
                // Gone: nothing of it passes to whoever joins next, not even with its old token.
                await store.TryDeleteAsync(id, current.Revision, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            var (token, hash) = SessionTokens.Create();
            var attachment = new SessionAttachment(options.NodeId, connection.Id, now);
            SessionRecord next;
            if (current is null)
            {
                if (chosenByClient && owner is not null && !IsNamedFor(id, owner))
                {
                    return SessionJoin.Refused($"A session you name must be your user id or start with '{owner}:'; this one belongs to no one here yet.");
                }

                next = new SessionRecord { Id = id, Owner = owner, TokenHash = hash, Attachment = attachment, CreatedAt = now, AwaySince = now };
            }
            else
            {
                if (presented is null)
                {
                    return SessionJoin.Refused($"Session '{id}' is in use; reconnect with its resumeToken.");
                }

                if (!(SessionTokens.Matches(presented, current.TokenHash.Span) || SessionTokens.Matches(presented, current.PreviousTokenHash.Span)) || current.Owner != owner)
                {
                    return SessionJoin.Refused("The resume token does not belong to this session.");
                }

                // The token just used stays valid as well, in case the welcome carrying the new one never arrives.
                next = current with { TokenHash = hash, PreviousTokenHash = presented, Attachment = attachment };
            }

            var stored = await store.TryWriteAsync(next, current?.Revision ?? 0, CancellationToken.None).ConfigureAwait(false);
            if (stored is null)
            {
                continue;
            }

            var session = new AttachedSession(connection, stored.Revision, _mailboxes);
            AttachedSession? previous = null;
            _attached.AddOrUpdate(id, session, (_, old) =>
            {
                previous = old;
                return session;
            });
            if (previous is not null)
            {
                TakeOver(previous);
            }

            // A take-over elsewhere between the write and the line above was reported before this node knew the
            // session was attached here: look once more.
            var latest = await store.GetAsync(id, CancellationToken.None).ConfigureAwait(false);
            if (latest is null)
            {
                if (_attached.TryRemove(new KeyValuePair<string, AttachedSession>(id, session)))
                {
                    Revoked(session);
                }
            }
            else
            {
                Check(session, latest);
            }

            return new SessionJoin(token, null);
        }

        return SessionJoin.Refused($"Session '{id}' is being joined by another connection; try again.");
    }

    /// <summary>Starts delivering the session's mailbox to the connection, once its <c>welcome</c> is queued.</summary>
    public void StartDelivery(HeraldConnection connection)
    {
        if (_attached.TryGetValue(connection.SessionId, out var session) && session.Connection == connection)
        {
            session.Start();
        }
    }

    /// <summary>The connection closed: if it still holds its session, the session is away from now on.</summary>
    public async Task LeaveAsync(HeraldConnection connection)
    {
        var id = connection.SessionId;
        if (_attached.TryGetValue(id, out var session) && session.Connection == connection)
        {
            session.End();
            _attached.TryRemove(new KeyValuePair<string, AttachedSession>(id, session));
        }

        try
        {
            for (var attempt = 0; attempt < MaxJoinAttempts; attempt++)
            {
                var current = await store.GetAsync(id, CancellationToken.None).ConfigureAwait(false);
                if (current?.Attachment?.ConnectionId != connection.Id)
                {
                    // Taken over, revoked or swept: nothing of this connection is left to undo.
                    return;
                }

                var away = current with { Attachment = null, AwaySince = time.GetUtcNow() };
                if (await store.TryWriteAsync(away, current.Revision, CancellationToken.None).ConfigureAwait(false) is not null)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The record still names this connection; the next join takes it over, and a restart releases it.
            Log.SessionLeaveFailed(logger, id, ex);
        }
    }

    /// <summary>Sends a direct message: straight to the socket when the session is attached here, else through its mailbox.</summary>
    public async ValueTask<SessionMessageOutcome> SendAsync(string sessionId, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_attached.TryGetValue(sessionId, out var local) && local.TryDeliverLive(ServerFrames.Message(data.Span)))
        {
            return SessionMessageOutcome.Delivered;
        }

        var now = time.GetUtcNow();
        var record = await store.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (record is null || record.IsExpired(now, options.SessionTtl))
        {
            return SessionMessageOutcome.NoSession;
        }

        var queued = await store.EnqueueAsync(sessionId, now, data, options.SessionQueueLimit, cancellationToken).ConfigureAwait(false);
        metrics.SessionMessageQueued(queued.Queued, queued.Dropped);

        // The local fast path for a session attached here whose mailbox was not yet delivered; the change feed
        // wakes the node holding it everywhere else.
        if (_attached.TryGetValue(sessionId, out local))
        {
            local.NotifyQueued();
        }

        return SessionMessageOutcome.Queued;
    }

    /// <summary>Ends a session: deletes its record and mailbox, and closes its connection wherever it is.</summary>
    /// <returns>False when there was no such session.</returns>
    public async ValueTask<bool> RevokeAsync(string sessionId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxJoinAttempts; attempt++)
        {
            var current = await store.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return false;
            }

            if (!await store.TryDeleteAsync(sessionId, current.Revision, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            // Only the connection of the session just deleted: one that joined since holds a newer session of that id.
            if (_attached.TryGetValue(sessionId, out var local) && local.Revision <= current.Revision
                && _attached.TryRemove(new KeyValuePair<string, AttachedSession>(sessionId, local)))
            {
                Revoked(local);
            }

            return true;
        }

        return false;
    }

    /// <summary>
    /// Marks the sessions attached on a lost node away since it was last heard, so they expire like any other; a client
    /// of that node that comes back resumes its session on any node.
    /// </summary>
    public async Task ReleaseLostNodeAsync(string nodeId, DateTimeOffset lastHeard)
    {
        try
        {
            var released = await store.ReleaseNodeAsync(nodeId, lastHeard, _stopping.Token).ConfigureAwait(false);
            Log.NodeLost(logger, nodeId, lastHeard, released);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.NodeReleaseFailed(logger, nodeId, ex);
        }
    }

    /// <summary>Deletes sessions away past their time to live and messages past theirs; forgets idle inboxes.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Inboxes.Sweep();
        await store.RemoveExpiredAsync(now - options.SessionTtl, now - options.SessionMessageTtl, cancellationToken).ConfigureAwait(false);
    }

    private async Task WatchAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in store.WatchAsync(_stopping.Token).ConfigureAwait(false))
                {
                    await ApplyAsync(change).ConfigureAwait(false);
                }

                // The store was disposed.
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Watch again, and look at every attached session for what the gap may have hidden.
                Log.SessionWatchFailed(logger, ex);
                await ApplyAsync(new SessionChange(SessionChangeKind.Reset, string.Empty)).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(1), time, _stopping.Token).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask ApplyAsync(SessionChange change)
    {
        switch (change.Kind)
        {
            case SessionChangeKind.Written when _attached.TryGetValue(change.SessionId, out var local):
                Check(local, change.Record!);
                break;
            // A session deleted and created again (its id joined after it expired) is news only to a connection older than the deletion.
            case SessionChangeKind.Deleted when _attached.TryGetValue(change.SessionId, out var local)
                && (change.Record is null || local.Revision <= change.Record.Revision)
                && _attached.TryRemove(new KeyValuePair<string, AttachedSession>(change.SessionId, local)):
                Revoked(local);
                break;
            case SessionChangeKind.MessageQueued when _attached.TryGetValue(change.SessionId, out var local):
                local.NotifyQueued();
                break;
            case SessionChangeKind.Reset:
                foreach (var local in _attached.Values)
                {
                    if (await store.GetAsync(local.Id, _stopping.Token).ConfigureAwait(false) is { } record)
                    {
                        Check(local, record);
                    }
                    else if (_attached.TryRemove(new KeyValuePair<string, AttachedSession>(local.Id, local)))
                    {
                        Revoked(local);
                    }

                    local.NotifyQueued();
                }

                break;
        }
    }

    /// <summary>
    /// A newer write that names another connection means this one lost its claim. One that names none means another
    /// node released this node's sessions, taking it for lost: the client is told to reconnect (1001), not that it was
    /// taken over, and resumes with the token it holds.
    /// </summary>
    private void Check(AttachedSession local, SessionRecord record)
    {
        if (record.Revision > local.Revision && record.Attachment?.ConnectionId != local.Connection.Id
            && _attached.TryRemove(new KeyValuePair<string, AttachedSession>(local.Id, local)))
        {
            if (record.Attachment is null)
            {
                Log.SessionReleasedElsewhere(logger, local.Id, local.Connection.Id);
                local.End();
                local.Connection.RequestClose(CloseReason.Released);
            }
            else
            {
                TakeOver(local);
            }
        }
    }

    private static void TakeOver(AttachedSession previous)
    {
        previous.End();
        previous.Connection.RequestClose(CloseReason.SessionTakenOver);
    }

    private static void Revoked(AttachedSession local)
    {
        local.End();
        local.Connection.RequestClose(CloseReason.SessionEnded);
    }
}
