using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>What a <see cref="Publisher"/> run did.</summary>
public sealed record PublishRun
{
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Events sent (on schedule) or acknowledged (closed loop).</summary>
    public required long Events { get; init; }

    public required long Errors { get; init; }

    /// <summary>Events sent to each topic (index = topic number).</summary>
    public required long[] EventsPerTopic { get; init; }

    /// <summary>Request round trips, in microseconds (acknowledged channels only).</summary>
    public required LatencyHistogram Latency { get; init; }

    /// <summary>On schedule: when the last request went out, from the start (a server that holds every connection makes it slip).</summary>
    public TimeSpan LastSent { get; init; }

    /// <summary>
    /// On schedule: how well the requests kept their schedule, 1 when the last one went out when it was due. It
    /// falls below 1 only when every connection waited on the server (or, for core NATS, the server stopped reading),
    /// so a server that takes events but answers late is judged by its latency, not here.
    /// </summary>
    public double Pace { get; init; } = double.NaN;

    /// <summary>The first error, to explain a failed run.</summary>
    public string? FirstError { get; init; }

    public double EventsPerSecond => Events / Elapsed.TotalSeconds;
}
