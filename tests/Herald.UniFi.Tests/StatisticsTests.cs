using System.Text;

namespace Herald.UniFi.Tests;

public sealed class StatisticsTests
{
    [Fact]
    public void TotalsAccumulateAcrossFramesByOutcome()
    {
        var statistics = new UniFiParserStatistics();
        var parser = new UniFiFrameParser(new UniFiParserOptions { MaxFrameBytes = 2048 }, statistics);

        foreach (var file in new[] { "events-several.json", "events-non-wifi.json", "device-sync.json", "device-sync.json", "alert.json", "invalid-json.json", "empty.json", "events-invalid-entries.json", "sta-sync-mixed.json" })
        {
            parser.Parse(Fixtures.Local(file), Fixtures.ReceivedAt);
        }

        parser.Parse(new byte[2049], Fixtures.ReceivedAt);

        Assert.Equal(10, statistics.Frames);
        Assert.Equal(3 + 1 + 1, statistics.Events);
        Assert.Equal(2, statistics.InvalidFrames);
        Assert.Equal(1, statistics.OversizedFrames);
        Assert.Equal(1 + 4, statistics.SkippedEventKeys);
        Assert.Equal(3, statistics.InvalidEntries);
        Assert.Equal(1, statistics.SkippedWiredClients);
        Assert.Equal(2, statistics.UnknownMessageTypes["device:sync"]);
        Assert.Equal(1, statistics.UnknownMessageTypes["alert"]);
    }

    [Fact]
    public void UnknownMessageTypeNamesBeyondTheCapAreCountedAsOther()
    {
        var statistics = new UniFiParserStatistics();
        var parser = new UniFiFrameParser(statistics: statistics);

        for (var i = 0; i < UniFiParserStatistics.MaxTrackedMessageTypes + 5; i++)
        {
            parser.Parse(Encoding.UTF8.GetBytes($$"""{"meta":{"message":"type-{{i}}"},"data":[]}"""), Fixtures.ReceivedAt);
        }

        var counts = statistics.UnknownMessageTypes;
        Assert.Equal(UniFiParserStatistics.MaxTrackedMessageTypes + 1, counts.Count);
        Assert.Equal(5, counts[UniFiParserStatistics.OtherMessageTypes]);
    }

    [Fact]
    public void ConcurrentParsingLosesNoCounts()
    {
        var statistics = new UniFiParserStatistics();
        var parser = new UniFiFrameParser(statistics: statistics);
        var several = Fixtures.Local("events-several.json");
        var unknown = Fixtures.Local("device-sync.json");

        Parallel.For(0, 2000, i => parser.Parse(i % 2 == 0 ? several : unknown, Fixtures.ReceivedAt));

        Assert.Equal(2000, statistics.Frames);
        Assert.Equal(1000 * 3, statistics.Events);
        Assert.Equal(1000, statistics.SkippedEventKeys);
        Assert.Equal(1000, statistics.UnknownMessageTypes["device:sync"]);
    }
}
