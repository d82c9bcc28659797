namespace Herald.Benchmarks.Orchestrator;

/// <summary>Where the repository and its bench/ directory are, found from the working directory or the assembly.</summary>
public static class RepositoryPaths
{
    /// <summary>The directory holding Herald.slnx, or null outside a checkout.</summary>
    public static string? Root { get; } = FindRoot();

    /// <summary>bench/ of the repository.</summary>
    public static string Bench => Path.Combine(Root ?? throw new InvalidOperationException("Run the benchmark from a checkout of the repository (no Herald.slnx above the working directory or the build)."), "bench");

    private static string? FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Herald.slnx")))
                {
                    return dir.FullName;
                }
            }
        }
        return null;
    }
}
