using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Herald.Internal.Protocol;
using Herald.Internal.Security;
using Herald.Internal.Transports;

namespace Herald.Internal.Connections;

/// <summary>
/// One subscriber connection: its subscriptions, and a bounded send queue between the dispatcher and a writer
/// that owns the send side, so a slow client never delays anyone else. The transport (WebSocket or Server-Sent
/// Events) decides how queued items reach the wire and reads what the client sends.
/// </summary>
internal sealed partial class HeraldConnection : IHeraldConnection
{
    public const string WebSocketName = "websocket";
    public const string SseName = "sse";

    private readonly IConnectionTransport _transport;
    private readonly ConnectionServices _services;
    private readonly SendQueue _queue;
    private TaskCompletionSource? _closing;
    private readonly Lock _sync = new();
    private readonly HashSet<TopicFilter> _filters = [];
    private ConcurrentDictionary<string, object?>? _items;
    private long _lastSeenTicks;
    private HeraldUser _user;
    private int _refreshSent;

    public HeraldConnection(IConnectionTransport transport, ConnectionServices services, ConnectionIdentity identity)
    {
        _transport = transport;
        _services = services;
        Id = ConnectionIds.Next();
        RequestId = identity.RequestId ?? Id;
        _user = identity.User;
        SessionId = identity.SessionId;
        RemoteAddress = identity.RemoteAddress;
        UserAgent = string.IsNullOrEmpty(identity.UserAgent) ? null : identity.UserAgent;
        ConnectedAt = services.Time.GetUtcNow();
        _lastSeenTicks = ConnectedAt.UtcTicks;
        _queue = new SendQueue(services.Options.SendQueueCapacity);
    }

    public string Id { get; }

    public string SessionId { get; }

    /// <summary>The HTTP request that opened the connection (its trace identifier); the connection id for sockets taken below HTTP.</summary>
    public string RequestId { get; }

    /// <summary>Who the connection acts for, and what it may do; replaced when the client sends a fresh token.</summary>
    public HeraldUser User => Volatile.Read(ref _user);

    public string? UserId => User.Subject;

    /// <summary><see cref="WebSocketName"/> or <see cref="SseName"/>, for metric labels and logs.</summary>
    public string TransportName => _transport is SseTransport ? SseName : WebSocketName;

    /// <summary>Starts the scope that puts this connection's ids on a log line; made only when a line is logged.</summary>
    public IDisposable? BeginLogScope() => _services.Logger.BeginScope(new ConnectionLogScope(this));

    public DateTimeOffset ConnectedAt { get; }

    public DateTimeOffset LastSeen => new(Volatile.Read(ref _lastSeenTicks), TimeSpan.Zero);

    public IPAddress? RemoteAddress { get; }

    public string? UserAgent { get; }

    public IReadOnlyList<string> Subscriptions
    {
        get
        {
            lock (_sync)
            {
                return [.. _filters.Select(f => f.Pattern)];
            }
        }
    }

    public ConcurrentDictionary<string, object?> Items
        => _items ?? Interlocked.CompareExchange(ref _items, new ConcurrentDictionary<string, object?>(StringComparer.Ordinal), null) ?? _items;

    /// <summary>Completes when a close has been requested by either side.</summary>
    /// <remarks>Made on first use (only streams without a read loop wait for it), so a WebSocket connection never holds one.</remarks>
    public Task Closing
    {
        get
        {
            if (Volatile.Read(ref _closing) is { } existing)
            {
                return existing.Task;
            }

            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var closing = Interlocked.CompareExchange(ref _closing, created, null) ?? created;

            // A close requested while this was being made may not have seen it.
            if (IsClosing)
            {
                closing.TrySetResult();
            }

            return closing.Task;
        }
    }

    /// <summary>Which of <paramref name="slices"/> heartbeat ticks pings this connection; stable for its lifetime.</summary>
    public int HeartbeatSlice(int slices) => (int)((uint)RuntimeHelpers.GetHashCode(this) % (uint)slices);

    /// <summary>Runs the connection until it closes; the HTTP request completes when this returns.</summary>
    /// <param name="welcome">The first frame, or null when the transport has none.</param>
    /// <param name="since">Replay stored events after this id before going live.</param>
    /// <param name="filters">The initial subscriptions.</param>
    /// <param name="started">Called once the welcome is queued (the session's mailbox follows it).</param>
    public async Task RunAsync(byte[]? welcome, long? since, IReadOnlyList<TopicFilter> filters, Action<HeraldConnection>? started = null)
    {
        if (welcome is not null)
        {
            TrySend(welcome);
        }

        // Subscribed before the writer sends the welcome: a client that publishes as soon as it is welcomed gets the
        // event back. Events dispatched meanwhile wait in the queue behind the welcome.
        if (since is { } from)
        {
            StartReplay(from, filters, reference: default);
        }
        else
        {
            StartAtLogHead();
            Subscribe(filters);
        }

        var writer = WriteLoopAsync();
        try
        {
            started?.Invoke(this);
            await _transport.ReceiveAsync(this).ConfigureAwait(false);
        }
        finally
        {
            RequestClose(CloseReason.Normal);
            await writer.ConfigureAwait(false);
            _services.Index.Remove(this, FilterSnapshot());
        }
    }

    /// <summary>Marks the client alive; any frame counts.</summary>
    public void Touch() => Volatile.Write(ref _lastSeenTicks, _services.Time.GetUtcNow().UtcTicks);

    /// <summary>The current subscriptions as parsed filters.</summary>
    public TopicFilter[] FilterSnapshot()
    {
        lock (_sync)
        {
            return [.. _filters];
        }
    }

    /// <summary>How many patterns the connection would hold with <paramref name="filters"/> added.</summary>
    public int SubscriptionsWith(IReadOnlyList<TopicFilter> filters)
    {
        lock (_sync)
        {
            return _filters.Count + filters.Distinct().Count(f => !_filters.Contains(f));
        }
    }

    /// <summary>
    /// Live delivery starts after the newest event the log is known to hold: a node behind a shared log would otherwise
    /// send a new client, at catch-up speed, events stored before it connected (and close it as a slow consumer).
    /// </summary>
    private void StartAtLogHead()
    {
        var head = _services.Store.KnownLastId;
        lock (_sync)
        {
            _lastEventId = Math.Max(_lastEventId, head);
        }
    }

    /// <summary>Adds live subscriptions (no replay).</summary>
    public void Subscribe(IReadOnlyList<TopicFilter> filters)
    {
        lock (_sync)
        {
            _filters.UnionWith(filters);
        }

        _services.Index.Add(this, filters);
    }

    public void Unsubscribe(IReadOnlyList<TopicFilter> filters)
    {
        lock (_sync)
        {
            _filters.ExceptWith(filters);
        }

        _services.Index.Remove(this, filters);
    }

    /// <summary>
    /// Takes a fresh token's user (same subject): new grants and expiry. Subscriptions the new grants no longer cover
    /// are dropped; their patterns are returned so the client can be told.
    /// </summary>
    public IReadOnlyList<TopicFilter> Reauthenticate(HeraldUser user)
    {
        var previous = Volatile.Read(ref _user);
        Volatile.Write(ref _user, user);
        // Ask again only for a token that lasts longer: a provider that hands back the one it cached would otherwise
        // be asked every tick until it expires.
        if (user.ExpiresAt is null || previous.ExpiresAt is null || user.ExpiresAt > previous.ExpiresAt)
        {
            Volatile.Write(ref _refreshSent, 0);
        }
        var dropped = FilterSnapshot().Where(f => !user.Grants.CanSubscribe(f)).ToList();
        if (dropped.Count > 0)
        {
            Unsubscribe(dropped);
        }

        return dropped;
    }

    /// <summary>Whether any current subscription matches <paramref name="topic"/>.</summary>
    private bool IsSubscribedTo(string topic)
    {
        lock (_sync)
        {
            foreach (var filter in _filters)
            {
                if (filter.Matches(topic))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
