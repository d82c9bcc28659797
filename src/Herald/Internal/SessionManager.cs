using System.Collections.Concurrent;
using System.Threading.Channels;
using Herald.Internal.Protocol;

namespace Herald.Internal;

/// <summary>
/// Sessions: logical clients that survive reconnects. Messages to a connected session go straight to
/// its socket; messages to an absent one wait in the session store and are delivered, in order, when it
/// reconnects with its resume token.
/// </summary>
internal sealed class SessionManager(HubCore hub)
{
    private const int MaxSessionIdLength = 128;

    private readonly ConcurrentDictionary<string, SessionState> _sessions = new(StringComparer.Ordinal);
    private SessionTokens? _tokens;

    private SessionTokens Tokens => _tokens ?? throw new InvalidOperationException("Herald has not started yet.");

    public async Task InitializeAsync(CancellationToken cancellationToken)
        => _tokens = new SessionTokens(await hub.SessionStore.GetTokenKeyAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>Decides whether a connect request may use the session it asks for.</summary>
    public SessionAdmission Admit(string? sessionId, string? resumeToken)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            var id = ConnectionIds.Next();
            return new SessionAdmission(id, Tokens.For(id), null);
        }

        if (sessionId.Length > MaxSessionIdLength || sessionId.Any(char.IsControl))
        {
            return new SessionAdmission(sessionId, null, $"A session id must be at most {MaxSessionIdLength} printable characters.");
        }

        if (!string.IsNullOrEmpty(resumeToken))
        {
            return Tokens.IsValid(sessionId, resumeToken)
                ? new SessionAdmission(sessionId, resumeToken, null)
                : new SessionAdmission(sessionId, null, "The resume token does not belong to this session.");
        }

        // Claim it here, in one step with the check, so two clients racing for a new id cannot both get it.
        var state = GetOrAdd(sessionId);
        lock (state)
        {
            if (state.Claimed && !state.Removed)
            {
                return new SessionAdmission(sessionId, null, $"Session '{sessionId}' is in use; reconnect with its resumeToken.");
            }

            state.Claimed = true;
        }

        return new SessionAdmission(sessionId, Tokens.For(sessionId), null);
    }

    /// <summary>Makes <paramref name="connection"/> the session's live connection and delivers what waited for it.</summary>
    public async Task AttachAsync(HeraldConnection connection)
    {
        try
        {
            while (true)
            {
                var state = GetOrAdd(connection.SessionId);
                await state.Gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    if (state.Removed)
                    {
                        continue;
                    }

                    HeraldConnection? previous;
                    lock (state)
                    {
                        previous = state.Current;
                        state.Current = connection;
                        state.Claimed = true;
                        state.Resuming = true;
                    }

                    if (previous is not null && previous != connection)
                    {
                        previous.RequestClose(CloseCodes.SessionTakenOver, "session resumed on another connection");
                    }

                    var queued = await hub.SessionStore.TakeAllAsync(state.Id, CancellationToken.None).ConfigureAwait(false);
                    var cutoff = hub.Time.GetUtcNow() - hub.Options.SessionMessageTtl;
                    var undelivered = new List<SessionMessage>();
                    lock (state)
                    {
                        var live = state.Current == connection && !connection.IsClosing;
                        foreach (var message in queued.Where(m => m.Time >= cutoff))
                        {
                            if (!live || !connection.SendMessage(ServerFrames.Message(message.Data.Span)))
                            {
                                undelivered.Add(message);
                            }
                        }

                        state.Resuming = false;
                        if (connection.IsClosing && state.Current == connection)
                        {
                            // It closed before it was attached, so its Detach found nothing to undo.
                            state.Current = null;
                            state.AwaySinceTicks = hub.Time.GetUtcNow().UtcTicks;
                        }
                    }

                    // Whatever did not reach a socket waits for the next connection, still in order.
                    foreach (var message in undelivered)
                    {
                        await hub.SessionStore.EnqueueAsync(state.Id, message, hub.Options.SessionQueueLimit, CancellationToken.None).ConfigureAwait(false);
                    }

                    return;
                }
                finally
                {
                    state.Gate.Release();
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.SessionAttachFailed(hub.Logger, connection.SessionId, ex);
        }
    }

    public void Detach(HeraldConnection connection)
    {
        if (_sessions.TryGetValue(connection.SessionId, out var state))
        {
            lock (state)
            {
                if (state.Current == connection)
                {
                    state.Current = null;
                    state.AwaySinceTicks = hub.Time.GetUtcNow().UtcTicks;
                }
            }
        }
    }

    /// <summary>Sends a direct message; returns true when it went to a live socket, false when it was queued.</summary>
    public async ValueTask<bool> SendAsync(string sessionId, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var frame = ServerFrames.Message(data.Span);
        while (true)
        {
            var state = GetOrAdd(sessionId);
            if (TryDeliverLive(state, frame))
            {
                return true;
            }

            await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (state.Removed)
                {
                    continue;
                }

                if (TryDeliverLive(state, frame))
                {
                    return true;
                }

                var message = new SessionMessage(sessionId, hub.Time.GetUtcNow(), data.ToArray());
                var dropped = await hub.SessionStore.EnqueueAsync(sessionId, message, hub.Options.SessionQueueLimit, cancellationToken).ConfigureAwait(false);
                hub.Metrics.SessionMessagesQueued.Increment();
                hub.Metrics.FramesDropped.Add(dropped);
                return false;
            }
            finally
            {
                state.Gate.Release();
            }
        }
    }

    /// <summary>Hands a client's <c>message</c> frame to the application.</summary>
    public void Receive(string sessionId, ReadOnlyMemory<byte> data)
    {
        var message = new SessionMessage(sessionId, hub.Time.GetUtcNow(), data.IsEmpty ? EventJson.Null : data);
        Inbox(GetOrAdd(sessionId)).Writer.TryWrite(message);
    }

    public async ValueTask<SessionMessage?> ReceiveAsync(string sessionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var inbox = Inbox(GetOrAdd(sessionId));
        using var timeoutSource = new CancellationTokenSource(timeout, hub.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            return await inbox.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Forgets sessions that have been away longer than the session TTL and drops expired queued messages.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = hub.Time.GetUtcNow();
        var ttl = hub.Options.SessionTtl.Ticks;
        foreach (var (id, state) in _sessions)
        {
            lock (state)
            {
                if (state.Current is null && !state.Resuming && now.UtcTicks - state.AwaySinceTicks > ttl && state.Gate.CurrentCount == 1)
                {
                    state.Removed = true;
                    _sessions.TryRemove(new KeyValuePair<string, SessionState>(id, state));
                }
            }
        }

        await hub.SessionStore.RemoveExpiredAsync(now - hub.Options.SessionMessageTtl, cancellationToken).ConfigureAwait(false);
    }

    private static bool TryDeliverLive(SessionState state, byte[] frame)
    {
        lock (state)
        {
            return !state.Removed && !state.Resuming && state.Current is { } connection && connection.SendMessage(frame);
        }
    }

    private SessionState GetOrAdd(string sessionId)
        => _sessions.GetOrAdd(sessionId, static (id, now) => new SessionState(id) { AwaySinceTicks = now }, hub.Time.GetUtcNow().UtcTicks);

    private Channel<SessionMessage> Inbox(SessionState state)
    {
        lock (state)
        {
            return state.Inbox ??= Channel.CreateBounded<SessionMessage>(new BoundedChannelOptions(hub.Options.SessionInboxCapacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
            });
        }
    }
}
