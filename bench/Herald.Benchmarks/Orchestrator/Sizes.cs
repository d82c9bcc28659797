namespace Herald.Benchmarks.Orchestrator;

/// <summary>The counts and durations of every scenario: the full figures, or tiny ones for --quick.</summary>
public sealed record Sizes
{
    public TimeSpan Heartbeat { get; init; }

    public int FanOutSubscribers { get; init; }
    public double FanOutRate { get; init; }
    public TimeSpan FanOutDuration { get; init; }

    public int SaturationSubscribers { get; init; }
    public IReadOnlyList<double> SaturationRates { get; init; } = [];
    public TimeSpan SaturationStep { get; init; }

    public int IdleConnections { get; init; }
    public TimeSpan IdleHold { get; init; }

    /// <summary>The server's open-files limit in the scale scenario (the machine's hard cap in a full run).</summary>
    public int ScaleOpenFiles { get; init; }
    public TimeSpan ScaleHold { get; init; }
    public int ScaleOverflow { get; init; }
    public int ScaleRecovery { get; init; }
    public int ScaleTarget { get; init; }

    public TimeSpan IngestDuration { get; init; }
    public int IngestPublishers { get; init; }
    public int IngestBatch { get; init; }

    public int ResumeSubscribers { get; init; }
    public int ResumeDrops { get; init; }
    public double ResumeRate { get; init; }
    public TimeSpan ResumeDuration { get; init; }

    /// <summary>How long a worker waits with nothing arriving before it reports what it has.</summary>
    public TimeSpan Quiet { get; init; }

    /// <summary>A pause that lets the server settle between phases (sockets closing, the JIT, the GC).</summary>
    public TimeSpan Settle { get; init; }

    /// <summary>How long the scale scenario watches the server's CPU once the attempts past the limit stopped.</summary>
    public TimeSpan ScaleWatch { get; init; }

    /// <summary>How long a connection attempt past the open-files limit may take before it counts as refused.</summary>
    public TimeSpan ScaleConnectTimeout { get; init; }

    public static Sizes Full { get; } = new()
    {
        Heartbeat = TimeSpan.FromSeconds(10),
        FanOutSubscribers = 10_000,
        FanOutRate = 10,
        FanOutDuration = TimeSpan.FromSeconds(20),
        SaturationSubscribers = 10_000,
        SaturationRates = [10, 13, 16, 20, 25, 32, 40, 50, 63, 79, 100, 126, 158, 200, 250],
        SaturationStep = TimeSpan.FromSeconds(8),
        IdleConnections = 15_000,
        IdleHold = TimeSpan.FromSeconds(25),
        ScaleOpenFiles = 20_000,
        ScaleHold = TimeSpan.FromSeconds(60),
        ScaleOverflow = 1_000,
        ScaleRecovery = 1_000,
        ScaleTarget = 19_000,
        IngestDuration = TimeSpan.FromSeconds(10),
        IngestPublishers = 32,
        IngestBatch = 100,
        ResumeSubscribers = 1_000,
        ResumeDrops = 10,
        ResumeRate = 50,
        ResumeDuration = TimeSpan.FromSeconds(20),
        Quiet = TimeSpan.FromSeconds(3),
        Settle = TimeSpan.FromSeconds(1),
        ScaleWatch = TimeSpan.FromSeconds(3),
        ScaleConnectTimeout = TimeSpan.FromSeconds(5),
    };

    public static Sizes Quick { get; } = new()
    {
        Heartbeat = TimeSpan.FromSeconds(1),
        FanOutSubscribers = 100,
        FanOutRate = 10,
        FanOutDuration = TimeSpan.FromSeconds(1),
        SaturationSubscribers = 100,
        SaturationRates = [20, 100],
        SaturationStep = TimeSpan.FromSeconds(1),
        IdleConnections = 200,
        IdleHold = TimeSpan.FromSeconds(1),
        ScaleOpenFiles = 700,
        ScaleHold = TimeSpan.FromSeconds(1),
        ScaleOverflow = 40,
        ScaleRecovery = 40,
        ScaleTarget = 400,
        IngestDuration = TimeSpan.FromSeconds(0.7),
        IngestPublishers = 8,
        IngestBatch = 100,
        ResumeSubscribers = 30,
        ResumeDrops = 2,
        ResumeRate = 30,
        ResumeDuration = TimeSpan.FromSeconds(2),
        Quiet = TimeSpan.FromSeconds(1),
        Settle = TimeSpan.FromSeconds(0.25),
        ScaleWatch = TimeSpan.FromSeconds(1),
        ScaleConnectTimeout = TimeSpan.FromSeconds(1),
    };
}
