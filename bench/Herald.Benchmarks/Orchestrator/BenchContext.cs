using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>What every scenario gets: the sizes, the servers, the run's settings and a scratch directory.</summary>
public sealed class BenchContext
{
    public required Sizes Sizes { get; init; }

    public required RunOptions Options { get; init; }

    public required string TempDirectory { get; init; }

    public bool Quick => Options.Quick;

    public int Rounds => Options.Rounds ?? Sizes.Rounds;

    public IReadOnlyList<ServerSpec> Servers => Options.Servers;

    /// <summary>Set when a scenario could not measure (a harness error, as opposed to a missed target).</summary>
    public List<string> HarnessErrors { get; } = [];

    public ServerStart ServerStart(int? openFilesLimit = null)
        => new()
        {
            Heartbeat = Sizes.Heartbeat,
            TempDirectory = TempDirectory,
            Gc = Options.Gc,
            FloorWriters = Options.FloorWriters,
            OpenFilesLimit = openFilesLimit,
        };

    public static void Log(string message)
    {
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss.fff}] {message}");
    }
}
