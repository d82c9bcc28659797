namespace Herald.Benchmarks.Orchestrator;

/// <summary>The counts and durations of every scenario: a full run's (about 40 minutes on 2 cores), or tiny ones for --quick.</summary>
public sealed record Sizes
{
    /// <summary>Interleaved rounds of the scenarios whose figures are headlines (fan-out, ingest, resume storm).</summary>
    public int Rounds { get; init; }

    public TimeSpan Heartbeat { get; init; }

    /// <summary>How long a report waits with nothing arriving before it gives up on the rest.</summary>
    public TimeSpan Quiet { get; init; }

    /// <summary>Fan-out at 5,000 clients: connections held idle at each level, then steps at the last.</summary>
    public IReadOnlyList<int> FanOutLevels { get; init; } = [];
    public IReadOnlyList<double> FanOutRates { get; init; } = [];

    /// <summary>Fan-out at 19,000 clients (one round): the connections curve, then steps.</summary>
    public IReadOnlyList<int> LargeLevels { get; init; } = [];
    public IReadOnlyList<double> LargeRates { get; init; } = [];

    public TimeSpan Hold { get; init; }
    public TimeSpan Step { get; init; }
    public TimeSpan WarmUpStep { get; init; }

    /// <summary>The curves: subscribers for the payload and publisher curves, and their event rates.</summary>
    public int CurveSubscribers { get; init; }
    public IReadOnlyList<int> PayloadSizes { get; init; } = [];
    public double PayloadRate { get; init; }
    public IReadOnlyList<int> PublisherCounts { get; init; } = [];
    public double PublishersRate { get; init; }

    /// <summary>Topics × subscribers each for the many-topics point; the one-topic point has as many subscribers.</summary>
    public int Topics { get; init; }
    public int SubscribersPerTopic { get; init; }

    /// <summary>Deliveries/s in both topic points.</summary>
    public double TopicDeliveries { get; init; }
    public TimeSpan CurvePoint { get; init; }

    public TimeSpan IngestDuration { get; init; }
    public int IngestPublishers { get; init; }
    public int IngestBatch { get; init; }

    public int ResumeSubscribers { get; init; }
    public int ResumeDrops { get; init; }
    public double ResumeRate { get; init; }
    public TimeSpan ResumeDuration { get; init; }

    public int StormClients { get; init; }
    public int StormBack { get; init; }
    public double StormLiveRate { get; init; }
    public TimeSpan StormTimeout { get; init; }

    /// <summary>The server's open-files limit in the scale scenario (the machine's hard cap in a full run).</summary>
    public int ScaleOpenFiles { get; init; }
    public TimeSpan ScaleHold { get; init; }
    public int ScaleOverflow { get; init; }
    public int ScaleRecovery { get; init; }
    public int ScaleTarget { get; init; }

    /// <summary>JetStream: subscribers in all (a third per node in the cluster), and fan-out event rates.</summary>
    public int JetStreamSubscribers { get; init; }
    public IReadOnlyList<double> JetStreamRates { get; init; } = [];
    public double FailoverRate { get; init; }

    public static Sizes Full { get; } = new()
    {
        Rounds = 3,
        Heartbeat = TimeSpan.FromSeconds(5),
        Quiet = TimeSpan.FromSeconds(2),
        FanOutLevels = [5_000],
        FanOutRates = [10, 20, 40, 60, 90, 120, 160, 200, 260, 320, 400, 500, 640, 800, 1000, 1300, 1600, 2000],
        LargeLevels = [1_000, 2_000, 5_000, 10_000, 19_000],
        LargeRates = [5, 10, 16, 24, 32, 42, 55, 70, 90, 110, 140, 180, 230, 300, 400, 520],
        Hold = TimeSpan.FromSeconds(5),
        Step = TimeSpan.FromSeconds(3),
        WarmUpStep = TimeSpan.FromSeconds(2),
        CurveSubscribers = 1_000,
        PayloadSizes = [100, 1024, 16384],
        PayloadRate = 20,
        PublisherCounts = [1, 10, 100],
        PublishersRate = 50,
        Topics = 1_000,
        SubscribersPerTopic = 10,
        TopicDeliveries = 50_000,
        CurvePoint = TimeSpan.FromSeconds(4),
        IngestDuration = TimeSpan.FromSeconds(5),
        IngestPublishers = 32,
        IngestBatch = 100,
        ResumeSubscribers = 1_000,
        ResumeDrops = 10,
        ResumeRate = 50,
        ResumeDuration = TimeSpan.FromSeconds(20),
        StormClients = 5_000,
        StormBack = 10_000,
        StormLiveRate = 10,
        StormTimeout = TimeSpan.FromSeconds(30),
        ScaleOpenFiles = 20_000,
        ScaleHold = TimeSpan.FromSeconds(20),
        ScaleOverflow = 1_000,
        ScaleRecovery = 1_000,
        ScaleTarget = 19_000,
        JetStreamSubscribers = 3_000,
        JetStreamRates = [20, 50, 100],
        FailoverRate = 20,
    };

    public static Sizes Quick { get; } = new()
    {
        Rounds = 1,
        Heartbeat = TimeSpan.FromSeconds(1),
        Quiet = TimeSpan.FromSeconds(0.5),
        FanOutLevels = [20, 40],
        FanOutRates = [20, 100],
        LargeLevels = [20, 40],
        LargeRates = [10],
        Hold = TimeSpan.FromSeconds(0.2),
        Step = TimeSpan.FromSeconds(0.4),
        WarmUpStep = TimeSpan.FromSeconds(0.3),
        CurveSubscribers = 10,
        PayloadSizes = [16384],
        PayloadRate = 20,
        PublisherCounts = [3],
        PublishersRate = 20,
        Topics = 3,
        SubscribersPerTopic = 3,
        TopicDeliveries = 90,
        CurvePoint = TimeSpan.FromSeconds(0.3),
        IngestDuration = TimeSpan.FromSeconds(0.4),
        IngestPublishers = 4,
        IngestBatch = 100,
        ResumeSubscribers = 20,
        ResumeDrops = 2,
        ResumeRate = 30,
        ResumeDuration = TimeSpan.FromSeconds(1.5),
        StormClients = 20,
        StormBack = 200,
        StormLiveRate = 10,
        StormTimeout = TimeSpan.FromSeconds(20),
        // Herald caps its connections below the open-files limit only when the limit leaves room for it (about 900
        // descriptors with the default HTTP cap): 1,000 lets the quick mode exercise that refusal.
        ScaleOpenFiles = 1_000,
        ScaleHold = TimeSpan.FromSeconds(1),
        ScaleOverflow = 40,
        ScaleRecovery = 40,
        ScaleTarget = 500,
        JetStreamSubscribers = 30,
        JetStreamRates = [10],
        FailoverRate = 10,
    };
}
