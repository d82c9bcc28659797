namespace Herald.Benchmarks.Orchestrator;

/// <summary>What every scenario gets: the sizes, a log and a scratch directory.</summary>
public sealed class BenchContext
{
    public required Sizes Sizes { get; init; }

    public required bool Quick { get; init; }

    public required string TempDirectory { get; init; }

    public required IReadOnlyList<Servers.ServerKind> Servers { get; init; }

    /// <summary>Set when a scenario could not measure (a harness error, as opposed to a missed target).</summary>
    public List<string> HarnessErrors { get; } = [];

    public static void Log(string message)
    {
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
    }
}
