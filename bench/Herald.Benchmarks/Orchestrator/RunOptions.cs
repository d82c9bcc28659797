using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>Arguments of the <c>run</c> subcommand.</summary>
public sealed record RunOptions(bool Quick, IReadOnlyList<string> Scenarios, string OutputDirectory)
{
    /// <summary>The servers to measure: all three unless <c>--servers</c> narrows it (to investigate one).</summary>
    public IReadOnlyList<ServerKind> Servers { get; init; } = ServerKinds.All;

    public static RunOptions Parse(IReadOnlyList<string> args)
    {
        var map = ArgMap.Parse(args);
        var scenarios = map.GetOrNull("scenario")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var servers = map.GetOrNull("servers")?.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ServerKinds.Parse).ToList();
        return new RunOptions(map.Has("quick"), scenarios, map.GetOrNull("out") ?? DefaultOutput())
        {
            Servers = servers ?? [.. ServerKinds.All],
        };
    }

    /// <summary><c>bench/results</c> of the repository the command runs in.</summary>
    public static string DefaultOutput()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Herald.slnx")))
                {
                    return Path.Combine(dir.FullName, "bench", "results");
                }
            }
        }
        return Path.Combine(Environment.CurrentDirectory, "results");
    }
}
