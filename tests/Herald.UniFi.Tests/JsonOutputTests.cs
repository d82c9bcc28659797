using System.Text.Json;

namespace Herald.UniFi.Tests;

public sealed class JsonOutputTests
{
    [Fact]
    public void EventJsonIsOneLineWithStableCamelCaseFieldsInOrderAndNoNulls()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-roam.json")).Events);

        var line = UniFiJson.ToJsonLine(e);

        Assert.DoesNotContain('\n', line);
        using var doc = JsonDocument.Parse(line);
        Assert.Equal(
            ["type", "time", "site", "clientMac", "apMac", "apFrom", "apTo", "ssid", "hostname", "radio", "radioFrom", "radioTo", "channel", "channelFrom", "channelTo", "message", "guest", "raw"],
            doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("wu.roam", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal("2023-11-14T22:13:20Z", doc.RootElement.GetProperty("time").GetString());
        Assert.Equal(36, doc.RootElement.GetProperty("channelFrom").GetInt32());
        Assert.False(doc.RootElement.GetProperty("guest").GetBoolean());
        Assert.Equal("EVT_WU_Roam", doc.RootElement.GetProperty("raw").GetProperty("key").GetString());
    }

    [Fact]
    public void EventJsonOmitsFieldsThatAreUnknown()
    {
        var e = new UniFiEvent { Type = UniFiEventTypes.Connected, Time = Fixtures.ReceivedAt, Site = "default", ClientMac = "00:00:00:00:00:01" };

        Assert.Equal(
            """{"type":"wu.connected","time":"2025-01-02T03:04:05Z","site":"default","clientMac":"00:00:00:00:00:01","guest":false}""",
            UniFiJson.ToJsonLine(e));
    }

    [Fact]
    public void LogEntryJsonHasTheStableFieldsAndReadableQuotes()
    {
        var entry = UniFiLogConverter.ToLogEntry(Assert.Single(Fixtures.Parse(Fixtures.Controller("events-wu-connected.json")).Events));

        var line = UniFiJson.ToJsonLine(entry);

        Assert.DoesNotContain('\n', line);
        Assert.Contains("on SSID \\\"SSID\\\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0022", line, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(line);
        Assert.Equal(["timestamp", "source", "level", "message", "clientMac", "data"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("websocket", doc.RootElement.GetProperty("source").GetString());
        Assert.Equal("INFO", doc.RootElement.GetProperty("level").GetString());
    }

    [Fact]
    public void HeraldPayloadIsTheEventJsonIncludingItsType()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Controller("events-wu-connected.json")).Events);

        Assert.Equal(UniFiJson.ToUtf8Bytes(e), e.ToHeraldPayload());
        using var doc = JsonDocument.Parse(e.ToHeraldPayload());
        Assert.Equal("wu.connected", doc.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public void HeraldPayloadNamesTheAccessPointAfterItsMacWhenTheControllerSendsTheName()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-newer-firmware.json")).Events);

        using var doc = JsonDocument.Parse(e.ToHeraldPayload());

        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal("Living Room", doc.RootElement.GetProperty("apName").GetString());
        Assert.Equal("80:2a:a8:00:01:02", doc.RootElement.GetProperty("apMac").GetString());
        Assert.Equal(names.IndexOf("apMac") + 1, names.IndexOf("apName"));
    }

    [Fact]
    public void HeraldPayloadLeavesApNameOutWhenTheControllerSendsNone()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Controller("events-wu-connected.json")).Events);

        using var doc = JsonDocument.Parse(e.ToHeraldPayload());

        Assert.False(doc.RootElement.TryGetProperty("apName", out _));
    }

    [Fact]
    public void TopicForASiteIsUnifiSiteWifi()
    {
        Assert.Equal("unifi/default/wifi", UniFiTopics.ForSite("default"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a+")]
    [InlineData("#")]
    [InlineData("my site")]
    public void TopicRejectsSitesThatAreNotOnePlainSegment(string site)
    {
        Assert.ThrowsAny<ArgumentException>(() => UniFiTopics.ForSite(site));
    }
}
