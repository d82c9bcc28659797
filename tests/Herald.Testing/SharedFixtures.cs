namespace Herald.Testing;

/// <summary>
/// The project's shared sample material, which lives beside the repository (<c>../shared</c>), from a
/// developer's checkout, a worktree or a CI clone alike.
/// </summary>
public static class SharedFixtures
{
    private const string SharedFolder = "shared";

    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The absolute path of <paramref name="relative"/> under <c>shared/</c>, such as <c>fixtures/unifi</c>.</summary>
    public static string PathOf(string relative) => Path.Combine(Root.Value, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidates = new List<string> { Path.Combine(dir.FullName, SharedFolder) };
            if (File.Exists(Path.Combine(dir.FullName, "Herald.slnx")) && dir.Parent is { } parent)
            {
                candidates.Add(Path.Combine(parent.FullName, SharedFolder));
            }

            foreach (var candidate in candidates.Where(c => Directory.Exists(Path.Combine(c, "fixtures"))))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No '{SharedFolder}/fixtures' found above {AppContext.BaseDirectory} or beside the repository root.");
    }
}
