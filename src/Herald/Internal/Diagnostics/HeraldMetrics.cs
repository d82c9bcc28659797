using Herald.Internal.Connections;

namespace Herald.Internal.Diagnostics;

/// <summary>The hub's counters. Per-connection frame counts are summed on read, so the send path never contends.</summary>
internal sealed class HeraldMetrics
{
    private long _retiredFramesSent;

    public Counter ConnectionsTotal { get; } = new();

    public Counter EventsPublished { get; } = new();

    public Counter EventsDropped { get; } = new();

    public Counter FramesDropped { get; } = new();

    public Counter SlowConsumerCloses { get; } = new();

    public Counter StaleCloses { get; } = new();

    public Counter InvalidFrames { get; } = new();

    public Counter Replays { get; } = new();

    public Counter SessionMessagesQueued { get; } = new();

    public LatencyHistogram BroadcastLatency { get; } = new();

    public void RetireConnection(HeraldConnection connection) => Interlocked.Add(ref _retiredFramesSent, connection.FramesSent);

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
        };
    }
}
