using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using Herald.Internal.Transports;
using Microsoft.Extensions.Logging;

namespace Herald.Internal;

/// <summary>
/// One subscriber connection: a bounded send queue between the hub and a writer that owns the send
/// side, so a slow client never delays anyone else. The transport (WebSocket or Server-Sent Events)
/// decides how queued items reach the wire.
/// </summary>
internal sealed partial class HeraldConnection : IHeraldConnection
{
    public const string WebSocketName = "websocket";
    public const string SseName = "sse";

    private readonly IConnectionTransport _transport;
    private readonly HubCore _hub;
    private readonly ILogger _logger;
    private readonly SendQueue _queue;
    private readonly TaskCompletionSource _closing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _sync = new();
    private readonly HashSet<TopicFilter> _filters = [];
    private ConcurrentDictionary<string, object?>? _items;
    private long _lastSeenTicks;

    public HeraldConnection(IConnectionTransport transport, HubCore hub, string sessionId, IPAddress? remoteAddress, string? userAgent, string? requestId = null)
    {
        _transport = transport;
        _hub = hub;
        _logger = hub.Logger;
        Id = ConnectionIds.Next();
        RequestId = requestId ?? Id;
        SessionId = sessionId;
        RemoteAddress = remoteAddress;
        UserAgent = userAgent;
        ConnectedAt = hub.Time.GetUtcNow();
        _lastSeenTicks = ConnectedAt.UtcTicks;
        _queue = new SendQueue(hub.Options.SendQueueCapacity);
    }

    public string Id { get; }

    /// <summary><see cref="WebSocketName"/> or <see cref="SseName"/>, for metric labels and logs.</summary>
    public string TransportName => _transport is SseTransport ? SseName : WebSocketName;

    /// <summary>Which of <paramref name="slices"/> heartbeat ticks pings this connection; stable for its lifetime.</summary>
    public int HeartbeatSlice(int slices) => (int)((uint)RuntimeHelpers.GetHashCode(this) % (uint)slices);

    public string SessionId { get; }

    /// <summary>The HTTP request that opened the connection (its trace identifier); the connection id for sockets taken below HTTP.</summary>
    public string RequestId { get; }

    /// <summary>Starts the scope that puts this connection's ids on a log line.</summary>
    public IDisposable? BeginLogScope() => _logger.BeginScope(new ConnectionLogScope(this));

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
    public Task Closing => _closing.Task;

    /// <summary>Runs the connection until it closes; the HTTP request completes when this returns.</summary>
    /// <param name="welcome">The first frame, or null when the transport has none.</param>
    /// <param name="since">Replay stored events after this id before going live.</param>
    /// <param name="filters">The initial subscriptions.</param>
    public async Task RunAsync(byte[]? welcome, long? since, IReadOnlyList<TopicFilter> filters)
    {
        if (welcome is not null)
        {
            TrySend(welcome);
        }

        var writer = WriteLoopAsync();
        try
        {
            if (since is { } from)
            {
                StartReplay(from, filters, reference: default);
            }
            else
            {
                Subscribe(filters);
            }

            if (_transport.HasSessions)
            {
                _ = _hub.Sessions.AttachAsync(this);
            }

            await _transport.ReceiveAsync(this).ConfigureAwait(false);
        }
        finally
        {
            RequestClose(WebSocketCloseStatus.NormalClosure, string.Empty);
            await writer.ConfigureAwait(false);
        }
    }

    /// <summary>The current subscriptions as parsed filters.</summary>
    public TopicFilter[] FilterSnapshot()
    {
        lock (_sync)
        {
            return [.. _filters];
        }
    }

    private void Subscribe(IReadOnlyList<TopicFilter> filters)
    {
        lock (_sync)
        {
            _filters.UnionWith(filters);
        }

        _hub.Index.Add(this, filters);
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
