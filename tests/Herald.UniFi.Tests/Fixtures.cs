namespace Herald.UniFi.Tests;

/// <summary>Frames from disk: real controller frames (<c>Fixtures/Controller</c>) and this project's hand-made variants.</summary>
internal static class Fixtures
{
    public static readonly DateTimeOffset ReceivedAt = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static string ControllerDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Controller");

    public static byte[] Controller(string name) => File.ReadAllBytes(Path.Combine(ControllerDirectory, name));

    public static byte[] Local(string name) => File.ReadAllBytes(LocalPath(name));

    public static string LocalPath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static UniFiParseResult Parse(byte[] frame, UniFiParserOptions? options = null)
        => new UniFiFrameParser(options).Parse(frame, ReceivedAt);
}
