using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

using Herald.Internal.Connections;

namespace Herald.Internal.Diagnostics;

/// <summary>The hub's counters. Per-connection frame counts are summed on read, so the send path never contends.</summary>
internal sealed class HeraldMetrics
{
    private readonly ConcurrentDictionary<string, Counter> _authFailures = new(StringComparer.Ordinal);
    private long _retiredFramesSent;
    private long _openWebSockets;
    private long _openSse;

    /// <summary>The meter instruments, when the hub has a meter factory.</summary>
    public HeraldInstruments? Instruments { get; set; }

    public Counter ConnectionsTotal { get; } = new();

    public Counter SseOpened { get; } = new();

    public Counter EventsPublished { get; } = new();

    public Counter EventsDropped { get; } = new();

    public Counter Deliveries { get; } = new();

    public Counter FramesDropped { get; } = new();

    public Counter SlowConsumerCloses { get; } = new();

    public Counter StaleCloses { get; } = new();

    public Counter InvalidFrames { get; } = new();

    public Counter Replays { get; } = new();

    public Counter ReplaysComplete { get; } = new();

    public Counter ReplaysIncomplete { get; } = new();

    public Counter ReplaysFailed { get; } = new();

    public Counter SessionMessagesQueued { get; } = new();

    public Counter AppendErrors { get; } = new();

    public LatencyHistogram BroadcastLatency { get; } = new();

    public void Opened(HeraldConnection connection)
    {
        ConnectionsTotal.Increment();
        if (connection.TransportName == HeraldConnection.SseName)
        {
            SseOpened.Increment();
            Interlocked.Increment(ref _openSse);
        }
        else
        {
            Interlocked.Increment(ref _openWebSockets);
        }
    }

    public void Closed(HeraldConnection connection)
    {
        Interlocked.Decrement(ref connection.TransportName == HeraldConnection.SseName ? ref _openSse : ref _openWebSockets);
        Interlocked.Add(ref _retiredFramesSent, connection.FramesSent);
        Instruments?.Closed(connection.TransportName, connection.CloseReason);
    }

    /// <summary>
    /// An event was handed to the <paramref name="matched"/> connections that want it, <paramref name="latency"/> after
    /// the log accepted it. An event nobody wants has no delivery to time.
    /// </summary>
    public void Dispatched(TimeSpan latency, int matched)
    {
        BroadcastLatency.Record(latency);
        if (matched > 0)
        {
            Instruments?.DeliveryLatency(latency);
        }
    }

    /// <summary>The store took a batch; <paramref name="startedAt"/> is the append's <see cref="Stopwatch"/> timestamp.</summary>
    public void Appended(long startedAt)
    {
        Instruments?.AppendLatency(Stopwatch.GetElapsedTime(startedAt));
    }

    public void AppendFailed() => AppendErrors.Increment();

    /// <summary>
    /// A direct message was queued in a session's mailbox, which then held <paramref name="queued"/> messages;
    /// <paramref name="dropped"/> older ones were dropped to keep it within its limit.
    /// </summary>
    public void SessionMessageQueued(int queued, int dropped)
    {
        SessionMessagesQueued.Increment();
        FramesDropped.Add(dropped);
        Instruments?.SessionQueueDepth(queued);
    }

    /// <summary>A replay caught up and sent <c>resumed</c>.</summary>
    public void Resumed(bool complete) => (complete ? ReplaysComplete : ReplaysIncomplete).Increment();

    /// <summary>A request was refused by authentication; <paramref name="reason"/> is a fixed word such as <c>invalid_token</c>.</summary>
    public void AuthFailed(string reason) => _authFailures.GetOrAdd(reason, static _ => new Counter()).Increment();

    public IEnumerable<Measurement<long>> OpenConnections() =>
    [
        new(Volatile.Read(ref _openWebSockets), new KeyValuePair<string, object?>("transport", HeraldConnection.WebSocketName)),
        new(Volatile.Read(ref _openSse), new KeyValuePair<string, object?>("transport", HeraldConnection.SseName)),
    ];

    public IEnumerable<Measurement<long>> OpenedConnections() =>
    [
        new(ConnectionsTotal.Value - SseOpened.Value, new KeyValuePair<string, object?>("transport", HeraldConnection.WebSocketName)),
        new(SseOpened.Value, new KeyValuePair<string, object?>("transport", HeraldConnection.SseName)),
    ];

    public IEnumerable<Measurement<long>> ReplayOutcomes() =>
    [
        new(ReplaysComplete.Value, new KeyValuePair<string, object?>("outcome", "complete")),
        new(ReplaysIncomplete.Value, new KeyValuePair<string, object?>("outcome", "incomplete")),
        new(ReplaysFailed.Value, new KeyValuePair<string, object?>("outcome", "failed")),
    ];

    /// <summary>Failures by reason; a single untagged zero until the first, so the series exists from start-up.</summary>
    public IEnumerable<Measurement<long>> AuthFailureCounts()
        => _authFailures.IsEmpty
            ? [new Measurement<long>(0)]
            : [.. _authFailures.Select(p => new Measurement<long>(p.Value.Value, new KeyValuePair<string, object?>("reason", p.Key)))];

    public HeraldMetricsSnapshot Snapshot(ICollection<HeraldConnection> open)
    {
        var framesSent = Volatile.Read(ref _retiredFramesSent);
        foreach (var connection in open)
        {
            framesSent += connection.FramesSent;
        }

        return new HeraldMetricsSnapshot
        {
            Connections = open.Count,
            ConnectionsTotal = ConnectionsTotal.Value,
            EventsPublished = EventsPublished.Value,
            EventsDropped = EventsDropped.Value,
            FramesSent = framesSent,
            FramesDropped = FramesDropped.Value,
            SlowConsumerCloses = SlowConsumerCloses.Value,
            StaleCloses = StaleCloses.Value,
            InvalidFrames = InvalidFrames.Value,
            Replays = Replays.Value,
            SessionMessagesQueued = SessionMessagesQueued.Value,
            BroadcastLatencyP50Ms = BroadcastLatency.Percentile(50).TotalMilliseconds,
            BroadcastLatencyP99Ms = BroadcastLatency.Percentile(99).TotalMilliseconds,
            BroadcastLatencyMaxMs = BroadcastLatency.Max.TotalMilliseconds,
            BroadcastLatencyBuckets = BroadcastLatency.NonEmptyBuckets(),
        };
    }
}
