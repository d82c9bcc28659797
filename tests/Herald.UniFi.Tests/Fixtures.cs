namespace Herald.UniFi.Tests;

/// <summary>Frames from disk: the shared real-world samples and this project's hand-made variants.</summary>
internal static class Fixtures
{
    private const string SharedRelative = "shared/fixtures/unifi";

    private static readonly Lazy<string> SharedDirectoryPath = new(FindShared);

    public static readonly DateTimeOffset ReceivedAt = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static string SharedDirectory => SharedDirectoryPath.Value;

    public static byte[] Shared(string name) => File.ReadAllBytes(Path.Combine(SharedDirectory, name));

    public static byte[] Local(string name) => File.ReadAllBytes(LocalPath(name));

    public static string LocalPath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static UniFiParseResult Parse(byte[] frame, UniFiParserOptions? options = null)
        => new UniFiFrameParser(options).Parse(frame, ReceivedAt);

    // The samples live outside the repository, beside it: ../shared from a worktree or a CI clone.
    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidates = new List<string> { Path.Combine(dir.FullName, SharedRelative) };
            if (File.Exists(Path.Combine(dir.FullName, "Herald.slnx")) && dir.Parent is { } parent)
            {
                candidates.Add(Path.Combine(parent.FullName, SharedRelative));
            }

            foreach (var candidate in candidates.Where(Directory.Exists))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No '{SharedRelative}' found above {AppContext.BaseDirectory} or beside the repository root.");
    }
}
