using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>Arguments of the <c>run</c> subcommand.</summary>
public sealed record RunOptions(bool Quick, IReadOnlyList<string> Scenarios, string OutputDirectory)
{
    /// <summary>The servers to measure: every one unless <c>--servers</c> narrows it (to investigate one).</summary>
    public IReadOnlyList<ServerSpec> Servers { get; init; } = ServerSpec.All;

    /// <summary>The GC of every .NET server: <c>workstation</c> (Herald's, the default) or <c>server</c>.</summary>
    public string Gc { get; init; } = "workstation";

    /// <summary>Rounds of the headline scenarios; null: the sizes' (3 in a full run).</summary>
    public int? Rounds { get; init; }

    /// <summary>Writer threads of the floor server.</summary>
    public int FloorWriters { get; init; } = 1;

    /// <summary>The previous full run's JSON to compare with; null: the newest <c>bench/results/*-full*.json</c>.</summary>
    public string? Baseline { get; init; }

    /// <summary>Also writes NAME.md, NAME.html and NAME.json beside latest.* (a full run to commit: <c>2026-12-07-full</c>).</summary>
    public string? Save { get; init; }

    /// <summary>The command line, for the report.</summary>
    public string Command { get; init; } = "";

    public static RunOptions Parse(IReadOnlyList<string> args)
    {
        var map = ArgMap.Parse(args);
        var scenarios = map.GetOrNull("scenario")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var servers = map.GetOrNull("servers")?.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ServerSpec.Parse).ToList();
        var gc = map.Get("gc", "workstation");
        if (gc is not ("workstation" or "server"))
        {
            throw new ArgumentException("--gc is workstation or server");
        }
        return new RunOptions(map.Has("quick"), scenarios, map.GetOrNull("out") ?? DefaultOutput())
        {
            Servers = servers ?? [.. ServerSpec.All],
            Gc = gc,
            Rounds = map.GetOrNull("rounds") is null ? null : map.GetInt("rounds", 3),
            FloorWriters = map.GetInt("floor-writers", 1),
            Baseline = map.GetOrNull("baseline"),
            Save = map.GetOrNull("save"),
            Command = "dotnet run --project bench/Herald.Benchmarks -c Release -- run " + string.Join(' ', args),
        };
    }

    /// <summary><c>bench/results</c> of the repository the command runs in.</summary>
    public static string DefaultOutput()
        => RepositoryPaths.Root is { } root ? Path.Combine(root, "bench", "results") : Path.Combine(Environment.CurrentDirectory, "results");
}
