namespace Herald.UniFi.Tests;

public sealed class ReplayTests
{
    [Fact]
    public async Task CaptureWithMixedLinesYieldsTheWifiEventsInOrderAndCountsInvalidLines()
    {
        var statistics = new UniFiParserStatistics();
        var parser = new UniFiFrameParser(new UniFiParserOptions { Site = "home" }, statistics);
        using var reader = File.OpenText(Fixtures.LocalPath("capture.jsonl"));

        var events = await ToListAsync(UniFiReplay.ReadEventsAsync(reader, parser));

        Assert.Equal(["wu.connected", "sta:sync", "wu.roam"], events.Select(e => e.Type));
        Assert.Equal(["00:00:00:00:00:01", "00:00:00:00:00:02", "00:00:00:00:00:01"], events.Select(e => e.ClientMac));
        Assert.Equal("home", events[1].Site);
        Assert.Equal(6, statistics.Frames);
        Assert.Equal(2, statistics.InvalidFrames);
        Assert.Equal(1, statistics.UnknownMessageTypes["device:sync"]);
        Assert.Equal(1, statistics.SkippedEventKeys);
    }

    [Fact]
    public async Task ReplayBySiteNameReadsTheSameEvents()
    {
        using var reader = File.OpenText(Fixtures.LocalPath("capture.jsonl"));

        var events = await ToListAsync(UniFiReplay.ReadEventsAsync(reader, "home"));

        Assert.Equal(3, events.Count);
    }

    [Fact]
    public async Task ReplayAsLogEntriesYieldsOneEntryPerEvent()
    {
        using var reader = File.OpenText(Fixtures.LocalPath("capture.jsonl"));

        var entries = await ToListAsync(UniFiReplay.ReadLogEntriesAsync(reader, new UniFiFrameParser()));

        Assert.Equal(["INFO", "DEBUG", "INFO"], entries.Select(e => e.Level));
        Assert.Equal("Client 00:00:00:00:00:01 connected to 80:2a:a8:00:01:02 on SSID \"Home\"", entries[0].Message);
    }

    [Fact]
    public async Task OversizedLineIsCountedAndSkipped()
    {
        var statistics = new UniFiParserStatistics();
        var parser = new UniFiFrameParser(new UniFiParserOptions { MaxFrameBytes = 300 }, statistics);
        var capture = new string(' ', 10) + "{\"meta\":{\"message\":\"alert\"},\"data\":\"" + new string('x', 400) + "\"}\n"
            + System.Text.Encoding.UTF8.GetString(Fixtures.Local("events-data-object.json"));

        var events = await ToListAsync(UniFiReplay.ReadEventsAsync(new StringReader(capture), parser));

        Assert.Single(events);
        Assert.Equal(1, statistics.OversizedFrames);
    }

    [Fact]
    public async Task CancelledReplayStops()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        using var reader = File.OpenText(Fixtures.LocalPath("capture.jsonl"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ToListAsync(UniFiReplay.ReadEventsAsync(reader, "home", cts.Token)));
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
