namespace Herald.Benchmarks.Shared;

/// <summary>One JSON line a load worker writes to stdout for the orchestrator.</summary>
public sealed record WorkerMessage
{
    /// <summary><c>ready</c> after a connect phase, <c>report</c> in answer to a report command.</summary>
    public string Kind { get; init; } = "";

    /// <summary>Connections that completed the handshake (cumulative, first connections only).</summary>
    public int Connected { get; init; }

    /// <summary>Connection attempts that failed or timed out (cumulative).</summary>
    public int Failed { get; init; }

    /// <summary>Connections open now.</summary>
    public int Open { get; init; }

    /// <summary>Connections open now and live (a resuming one once its replay caught up).</summary>
    public int Live { get; init; }

    /// <summary>Stopwatch timestamp at which the last subscriber went live.</summary>
    public long LastLiveAt { get; init; }

    /// <summary>Connections the server closed or that broke without the worker asking (cumulative).</summary>
    public int Dropped { get; init; }

    /// <summary>Events received since the previous report.</summary>
    public long Received { get; init; }

    /// <summary>Bytes read from the sockets since the previous report (WebSocket frames and what they carry).</summary>
    public long Bytes { get; init; }

    /// <summary>Tracked sequence numbers not received, per connection, summed (resume checking only).</summary>
    public long Lost { get; init; }

    public long Duplicates { get; init; }

    public long OutOfOrder { get; init; }

    /// <summary>Reconnects that went live again (cumulative).</summary>
    public long Reconnects { get; init; }

    /// <summary>Stopwatch timestamp of the latest reconnect that went live.</summary>
    public long LastReconnectAt { get; init; }

    /// <summary>Connections lost without the worker asking and resumed on another server (cumulative).</summary>
    public long Losses { get; init; }

    /// <summary>Stopwatch timestamp of the first such loss.</summary>
    public long FirstLossAt { get; init; }

    /// <summary>Publish-to-receive latency in microseconds since the previous report, as [bucket, count] pairs.</summary>
    public List<long[]> Latency { get; init; } = [];

    /// <summary>A few distinct error messages, to explain failures in the report.</summary>
    public List<string> Errors { get; init; } = [];
}
