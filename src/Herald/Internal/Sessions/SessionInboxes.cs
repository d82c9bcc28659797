using System.Collections.Concurrent;
using System.Threading.Channels;
using Herald.Internal.Protocol;

namespace Herald.Internal.Sessions;

/// <summary>
/// The application's inbox: <c>message</c> frames that a session's clients on this node sent, waiting for
/// <see cref="IHeraldHub.ReceiveAsync"/> on this node. Each inbox is bounded (the oldest are dropped) and
/// forgotten once it has been empty and unread for the session time to live.
/// </summary>
internal sealed class SessionInboxes(HeraldOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Inbox> _inboxes = new(StringComparer.Ordinal);

    public void Add(string sessionId, ReadOnlyMemory<byte> data)
    {
        var message = new SessionMessage(sessionId, time.GetUtcNow(), data.IsEmpty ? EventJson.Null : data);
        Get(sessionId).Channel.Writer.TryWrite(message);
    }

    public async ValueTask<SessionMessage?> ReceiveAsync(string sessionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var inbox = Get(sessionId);
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            return await inbox.Channel.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Forgets inboxes that are empty and were last used before the session time to live.</summary>
    public void Sweep()
    {
        var cutoff = (time.GetUtcNow() - options.SessionTtl).UtcTicks;
        foreach (var (id, inbox) in _inboxes)
        {
            if (Volatile.Read(ref inbox.LastUsedTicks) < cutoff && inbox.Channel.Reader.Count == 0)
            {
                _inboxes.TryRemove(new KeyValuePair<string, Inbox>(id, inbox));
            }
        }
    }

    private Inbox Get(string sessionId)
    {
        var inbox = _inboxes.GetOrAdd(sessionId, static (_, capacity) => new Inbox(capacity), options.SessionInboxCapacity);
        Volatile.Write(ref inbox.LastUsedTicks, time.GetUtcNow().UtcTicks);
        return inbox;
    }

    private sealed class Inbox(int capacity)
    {
        public readonly Channel<SessionMessage> Channel = System.Threading.Channels.Channel.CreateBounded<SessionMessage>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest });

        public long LastUsedTicks;
    }
}
