namespace Herald.Benchmarks.Orchestrator;

/// <summary>Arguments of the <c>run</c> subcommand.</summary>
public sealed record RunOptions(bool Quick, IReadOnlyList<string> Scenarios, string OutputDirectory)
{
    public static RunOptions Parse(IReadOnlyList<string> args)
    {
        var map = ArgMap.Parse(args);
        var scenarios = map.GetOrNull("scenario")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return new RunOptions(map.Has("quick"), scenarios, map.GetOrNull("out") ?? DefaultOutput());
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
