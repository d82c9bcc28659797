namespace Herald.Benchmarks.Orchestrator;

/// <summary>
/// What a <see cref="Publisher"/> run sends: <see cref="Rate"/> events/s on schedule for <see cref="Duration"/> (or, with
/// no rate, as fast as the connections are answered, the same request again and again).
/// </summary>
public sealed record PublishPlan
{
    /// <summary>Events per second; null publishes in a closed loop (each connection resends as soon as it is answered).</summary>
    public double? Rate { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Topics <c>t0</c>…<c>t(n-1)</c>, event i to topic i mod n; 0 or 1: every event to <c>bench</c>.</summary>
    public int Topics { get; init; }

    public int PayloadBytes { get; init; } = Shared.Payload.DefaultSize;

    /// <summary>Events per request.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Exactly this many events on schedule (overrides <see cref="Duration"/>).</summary>
    public long? Count { get; init; }

    public static PublishPlan OnSchedule(double rate, TimeSpan duration, int topics = 0, int payloadBytes = Shared.Payload.DefaultSize)
        => new() { Rate = rate, Duration = duration, Topics = topics, PayloadBytes = payloadBytes };
}
