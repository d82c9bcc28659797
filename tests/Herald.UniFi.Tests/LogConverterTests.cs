namespace Herald.UniFi.Tests;

public sealed class LogConverterTests
{
    private static readonly DateTimeOffset Since = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ConnectedMessageNamesClientHostApAndSsid()
    {
        var entry = ToEntry(Fixtures.Controller("events-wu-connected.json"));

        Assert.Equal("Client 00:00:00:00:00:01 (client) connected to 80:2a:a8:00:01:02 on SSID \"SSID\"", entry.Message);
        Assert.Equal("INFO", entry.Level);
        Assert.Equal("websocket", entry.Source);
        Assert.Equal("00:00:00:00:00:01", entry.ClientMac);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1587753456179), entry.Timestamp);
        Assert.Equal("EVT_WU_Connected", entry.Data.GetProperty("key").GetString());
    }

    [Fact]
    public void DisconnectedMessageSaysDisconnectedFrom()
    {
        Assert.Equal(
            "Client 00:00:00:00:00:01 (client) disconnected from 80:2a:a8:00:01:02 on SSID \"SSID\"",
            ToEntry(Fixtures.Controller("events-wu-disconnected.json")).Message);
    }

    [Fact]
    public void RoamMessageNamesBothAps()
    {
        Assert.Equal(
            "Client 00:00:00:00:00:01 (phone) roamed from 80:2a:a8:00:01:02 to 80:2a:a8:00:01:03 on SSID \"Home\"",
            ToEntry(Fixtures.Local("events-roam.json")).Message);
    }

    [Fact]
    public void RoamRadioMessageNamesTheApAndBothRadios()
    {
        Assert.Equal(
            "Client 00:00:00:00:00:01 (phone) switched radio on 80:2a:a8:00:01:02 from ng to na on SSID \"Home\"",
            ToEntry(Fixtures.Local("events-roam-radio.json")).Message);
    }

    [Fact]
    public void StaSyncMessageIsADebugStateSync()
    {
        var entry = ToEntry(Fixtures.Controller("sta-sync.json"));

        Assert.Equal("Client 00:00:00:00:00:01 (client) state sync on SSID \"SSID\"", entry.Message);
        Assert.Equal("DEBUG", entry.Level);
    }

    [Fact]
    public void ApNameIsAddedInParenthesesWhenTheFirmwareSendsIt()
    {
        Assert.Equal(
            "Client aa:bb:cc:dd:ee:01 (tablet) connected to 80:2a:a8:00:01:02 (Living Room) on SSID \"Home\"",
            ToEntry(Fixtures.Local("events-newer-firmware.json")).Message);
    }

    [Fact]
    public void HostnameAndSsidAreLeftOutWhenUnknown()
    {
        var e = new UniFiEvent { Type = UniFiEventTypes.Connected, Time = Since, Site = "default", ClientMac = "00:00:00:00:00:01", ApMac = "80:2a:a8:00:01:02" };

        Assert.Equal("Client 00:00:00:00:00:01 connected to 80:2a:a8:00:01:02", UniFiLogConverter.ToLogEntry(e).Message);
    }

    [Fact]
    public void MissingApReadsAsAnUnknownAccessPoint()
    {
        var e = new UniFiEvent { Type = UniFiEventTypes.Disconnected, Time = Since, Site = "default", ClientMac = "00:00:00:00:00:01" };

        Assert.Equal("Client 00:00:00:00:00:01 disconnected from an unknown access point", UniFiLogConverter.ToLogEntry(e).Message);
    }

    [Fact]
    public void GuestEventsAreInfoAndSayGuest()
    {
        var entries = Fixtures.Parse(Fixtures.Local("events-guest.json")).Events.Select(UniFiLogConverter.ToLogEntry).ToList();

        Assert.All(entries, e => Assert.Equal("INFO", e.Level));
        Assert.Equal("Guest 00:00:00:00:00:0a connected to 80:2a:a8:00:01:02 on SSID \"Guests\"", entries[0].Message);
        Assert.Equal("Guest 00:00:00:00:00:0a roamed from 80:2a:a8:00:01:02 to 80:2a:a8:00:01:03 on SSID \"Guests\"", entries[2].Message);
    }

    [Fact]
    public void ClockSkewToleranceIsFiveMinutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), UniFiLogConverter.ClockSkewTolerance);
    }

    [Fact]
    public void CollectKeepsAnEvent4MinutesOlderThanSinceAndDropsOne6MinutesOlder()
    {
        var kept = At(Since.AddMinutes(-4), "00:00:00:00:00:04");
        var dropped = At(Since.AddMinutes(-6), "00:00:00:00:00:06");

        var entries = UniFiLogConverter.Collect([kept, dropped], Since);

        Assert.Equal("00:00:00:00:00:04", Assert.Single(entries).ClientMac);
    }

    [Fact]
    public void CollectKeepsAnEventExactlyAtTheToleranceEdge()
    {
        Assert.Single(UniFiLogConverter.Collect([At(Since - UniFiLogConverter.ClockSkewTolerance, "00:00:00:00:00:05")], Since));
    }

    [Fact]
    public void CollectReturnsEntriesInTimeOrderAndEverythingWithoutSince()
    {
        var events = new[] { At(Since.AddMinutes(2), "00:00:00:00:00:02"), At(Since.AddDays(-1), "00:00:00:00:00:00"), At(Since.AddMinutes(1), "00:00:00:00:00:01") };

        Assert.Equal(["00:00:00:00:00:01", "00:00:00:00:00:02"], UniFiLogConverter.Collect(events, Since).Select(e => e.ClientMac));
        Assert.Equal(3, UniFiLogConverter.Collect(events, null).Count);
        Assert.Equal("00:00:00:00:00:00", UniFiLogConverter.Collect(events, null)[0].ClientMac);
    }

    private static UniFiLogEntry ToEntry(byte[] frame)
        => UniFiLogConverter.ToLogEntry(Assert.Single(Fixtures.Parse(frame).Events));

    private static UniFiEvent At(DateTimeOffset time, string mac)
        => new() { Type = UniFiEventTypes.Connected, Time = time, Site = "default", ClientMac = mac };
}
