namespace Herald;

/// <summary>Hub counters since start-up, as served by <c>GET /api/metrics</c>.</summary>
public sealed record HeraldMetricsSnapshot
{
    /// <summary>Open WebSocket connections now.</summary>
    public required int Connections { get; init; }

    /// <summary>WebSocket connections accepted since start-up.</summary>
    public required long ConnectionsTotal { get; init; }

    /// <summary>Events stored and fanned out.</summary>
    public required long EventsPublished { get; init; }

    /// <summary>Fire-and-forget publishes refused because the publish queue was full, or lost because the store failed.</summary>
    public required long EventsDropped { get; init; }

    /// <summary>Frames written to sockets.</summary>
    public required long FramesSent { get; init; }

    /// <summary>Frames that could not be queued for a connection (its queue was full).</summary>
    public required long FramesDropped { get; init; }

    /// <summary>Connections closed because their send queue overflowed.</summary>
    public required long SlowConsumerCloses { get; init; }

    /// <summary>Connections closed because the client sent nothing within the client timeout.</summary>
    public required long StaleCloses { get; init; }

    /// <summary>Client frames answered with an error (malformed JSON, unknown type, bad fields).</summary>
    public required long InvalidFrames { get; init; }

    /// <summary>Replays (resumes) completed.</summary>
    public required long Replays { get; init; }

    /// <summary>Direct messages queued for absent sessions.</summary>
    public required long SessionMessagesQueued { get; init; }

    /// <summary>
    /// Broadcast latency, from the log accepting an event (<see cref="HeraldEvent.StoredAt"/>) to the event queued on every
    /// matching connection on this node: median since start-up, in milliseconds.
    /// </summary>
    public required double BroadcastLatencyP50Ms { get; init; }

    /// <summary>Broadcast latency, 99th percentile since start-up, in milliseconds.</summary>
    public required double BroadcastLatencyP99Ms { get; init; }

    /// <summary>Broadcast latency, largest seen, in milliseconds.</summary>
    public required double BroadcastLatencyMaxMs { get; init; }

    /// <summary>
    /// Broadcast latencies since start-up as a histogram: every bucket that holds any, lowest first, with its upper bound
    /// (bounds grow by a quarter power of two, about 19 %). Subtracting an earlier snapshot's counts bucket by bucket gives
    /// the latencies of what was broadcast in between, which is how the dashboard charts the last seconds. Default: empty.
    /// </summary>
    public IReadOnlyList<HeraldLatencyBucket> BroadcastLatencyBuckets { get; init; } = [];
}
