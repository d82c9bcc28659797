using System.Text.Json;
using Herald.Testing;

namespace Herald.Cli.Tests;

public sealed class UniFiReplayCommandTests
{
    private static readonly string[] CaptureFiles = ["events-wu-connected.json", "user-delete.json", "events-wu-disconnected.json", "sta-sync.json"];

    [Fact]
    public async Task ReplayPrintsTheNormalizedEventsOfACaptureInOrderAndCountsBadLines()
    {
        using var directory = new TempDirectory();
        var capture = WriteCapture(directory);

        var (code, output, error) = await CliRunner.RunAsync(null, "unifi", "replay", capture);

        Assert.Equal(0, code);
        var types = Lines(output).Select(l => l.GetProperty("type").GetString()!).ToList();
        Assert.Equal(new List<string> { "wu.connected", "wu.disconnected", "sta:sync" }, types);
        Assert.All(Lines(output), l => Assert.Matches("^[0-9a-f]{2}(:[0-9a-f]{2}){5}$", l.GetProperty("clientMac").GetString()!));
        Assert.Contains("1 invalid", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayWithLogEntriesPrintsOneEntryPerEventWithLevels()
    {
        using var directory = new TempDirectory();
        var capture = WriteCapture(directory);

        var (code, output, _) = await CliRunner.RunAsync(null, "unifi", "replay", capture, "--log-entries");

        Assert.Equal(0, code);
        var entries = Lines(output);
        Assert.Equal(3, entries.Length);
        Assert.All(entries, e => Assert.Equal("websocket", e.GetProperty("source").GetString()));
        Assert.Contains(entries, e => e.GetProperty("level").GetString() == "INFO" && e.GetProperty("message").GetString()!.Contains("connected to", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.GetProperty("level").GetString() == "DEBUG" && e.GetProperty("message").GetString()!.Contains("state sync", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReplayOfAMissingFileFailsWithItsPath()
    {
        var (code, _, error) = await CliRunner.RunAsync(null, "unifi", "replay", "/nonexistent/capture.jsonl");

        Assert.NotEqual(0, code);
        Assert.Contains("/nonexistent/capture.jsonl", error, StringComparison.Ordinal);
    }

    private static string WriteCapture(TempDirectory directory)
    {
        var lines = CaptureFiles
            .Select(name => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Controller", name)))
            .Select(json => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement))
            .Prepend("{not json")
            .Append(string.Empty);
        var path = Path.Combine(directory.Path, "capture.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static JsonElement[] Lines(string output)
        => [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
}
