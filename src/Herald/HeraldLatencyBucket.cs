namespace Herald;

/// <summary>One bucket of a latency histogram (<see cref="HeraldMetricsSnapshot.BroadcastLatencyBuckets"/>).</summary>
/// <param name="UpperBoundMs">The largest latency the bucket holds, in milliseconds.</param>
/// <param name="Count">How many latencies fell in it since start-up.</param>
public readonly record struct HeraldLatencyBucket(double UpperBoundMs, long Count);
