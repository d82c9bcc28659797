namespace Herald.Benchmarks.Shared;

/// <summary>One JSON line a load worker writes to stdout for the orchestrator.</summary>
public sealed record WorkerMessage
{
    /// <summary><c>ready</c> after the connect phase, <c>report</c> in answer to a report command.</summary>
    public string Kind { get; init; } = "";

    /// <summary>Connections that completed the handshake (cumulative).</summary>
    public int Connected { get; init; }

    /// <summary>Connection attempts that failed or timed out (cumulative).</summary>
    public int Failed { get; init; }

    /// <summary>Connections open now.</summary>
    public int Open { get; init; }

    /// <summary>Connections the server closed or that broke without the worker asking (cumulative).</summary>
    public int Dropped { get; init; }

    /// <summary>Events received since the previous report.</summary>
    public long Received { get; init; }

    /// <summary>Expected events not received, per connection, summed (resume checking only).</summary>
    public long Lost { get; init; }

    public long Duplicates { get; init; }

    public long OutOfOrder { get; init; }

    public long Reconnects { get; init; }

    /// <summary>Publish-to-receive latency in microseconds since the previous report, as [bucket, count] pairs.</summary>
    public List<long[]> Latency { get; init; } = [];

    /// <summary>A few distinct error messages, to explain failures in the report.</summary>
    public List<string> Errors { get; init; } = [];
}
