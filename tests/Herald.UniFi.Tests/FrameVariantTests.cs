namespace Herald.UniFi.Tests;

public sealed class FrameVariantTests
{
    [Fact]
    public void SeveralEventsInOneFrameKeepTheirOrderAndSkipTheNonWifiKey()
    {
        var result = Fixtures.Parse(Fixtures.Local("events-several.json"));

        Assert.Equal(["wu.connected", "wu.disconnected", "wu.roam"], result.Events.Select(e => e.Type));
        Assert.Equal(["00:00:00:00:00:01", "00:00:00:00:00:02", "00:00:00:00:00:03"], result.Events.Select(e => e.ClientMac));
        Assert.Equal(1, result.SkippedEventKeys["EVT_AP_Connected"]);
    }

    [Fact]
    public void DataAsAnObjectIsReadAsASingleEntry()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-data-object.json")).Events);

        Assert.Equal("wu.connected", e.Type);
        Assert.Equal("00:00:00:00:00:01", e.ClientMac);
    }

    [Fact]
    public void ChannelSentAsAStringIsReadAsAnInt()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-channel-string.json")).Events);

        Assert.Equal(36, e.Channel);
    }

    [Fact]
    public void ChannelSentAsANumberIsReadAsAnInt()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-data-object.json")).Events);

        Assert.Equal(44, e.Channel);
    }

    [Fact]
    public void NewerFirmwareFieldsAreToleratedApNameIsKeptAndMacsAreLowerCased()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-newer-firmware.json")).Events);

        Assert.Equal("aa:bb:cc:dd:ee:01", e.ClientMac);
        Assert.Equal("80:2a:a8:00:01:02", e.ApMac);
        Assert.Equal("Living Room", e.ApName);
        Assert.Equal(149, e.Channel);
        Assert.Equal("U7PG2", e.Raw.GetProperty("ap_model").GetString());
    }

    [Fact]
    public void RoamCarriesBothApsChannelsAndRadiosAndTheCurrentOnesAreTheDestination()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-roam.json")).Events);

        Assert.Equal("wu.roam", e.Type);
        Assert.Equal("80:2a:a8:00:01:02", e.ApFrom);
        Assert.Equal("80:2a:a8:00:01:03", e.ApTo);
        Assert.Equal("80:2a:a8:00:01:03", e.ApMac);
        Assert.Equal(36, e.ChannelFrom);
        Assert.Equal(1, e.ChannelTo);
        Assert.Equal(1, e.Channel);
        Assert.Equal("na", e.RadioFrom);
        Assert.Equal("ng", e.RadioTo);
        Assert.Equal("ng", e.Radio);
    }

    [Fact]
    public void RoamRadioKeepsTheApAndReadsRadioAndChannelChanges()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-roam-radio.json")).Events);

        Assert.Equal("wu.roam_radio", e.Type);
        Assert.Equal("80:2a:a8:00:01:02", e.ApMac);
        Assert.Null(e.ApFrom);
        Assert.Equal("ng", e.RadioFrom);
        Assert.Equal("na", e.RadioTo);
        Assert.Equal(1, e.ChannelFrom);
        Assert.Equal(36, e.ChannelTo);
    }

    [Fact]
    public void GuestEventsMapToWgTypesTakeTheMacFromGuestAndAreFlagged()
    {
        var events = Fixtures.Parse(Fixtures.Local("events-guest.json")).Events;

        Assert.Equal(["wg.connected", "wg.disconnected", "wg.roam", "wg.roam_radio"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.True(e.IsGuest));
        Assert.All(events, e => Assert.Equal("00:00:00:00:00:0a", e.ClientMac));
        Assert.Equal(11, events[2].ChannelTo);
        Assert.Equal(44, events[3].ChannelTo);
    }

    [Theory]
    [InlineData("EVT_WU_Connected", "wu.connected", false)]
    [InlineData("EVT_WU_Disconnected", "wu.disconnected", false)]
    [InlineData("EVT_WU_Roam", "wu.roam", false)]
    [InlineData("EVT_WU_RoamRadio", "wu.roam_radio", false)]
    [InlineData("EVT_WG_Connected", "wg.connected", true)]
    [InlineData("EVT_WG_Disconnected", "wg.disconnected", true)]
    [InlineData("EVT_WG_Roam", "wg.roam", true)]
    [InlineData("EVT_WG_RoamRadio", "wg.roam_radio", true)]
    public void EachWifiKeyMapsToItsNormalizedType(string key, string type, bool guest)
    {
        var frame = $$"""{"meta":{"rc":"ok","message":"events"},"data":[{"key":"{{key}}","user":"00:00:00:00:00:01"}]}""";

        var e = Assert.Single(Fixtures.Parse(System.Text.Encoding.UTF8.GetBytes(frame)).Events);

        Assert.Equal(type, e.Type);
        Assert.Equal(guest, e.IsGuest);
    }

    [Theory]
    [InlineData("device-sync.json", "device:sync")]
    [InlineData("alert.json", "alert")]
    [InlineData("session-metadata-sync.json", "session-metadata:sync")]
    [InlineData("client-sync.json", "client:sync")]
    public void UnknownMessageTypesAreSkippedAndNamed(string file, string messageType)
    {
        var result = Fixtures.Parse(Fixtures.Local(file));

        Assert.True(result.IsValid);
        Assert.True(result.IsUnknownMessageType);
        Assert.Equal(messageType, result.MessageType);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void NonWifiEventKeysAreSkippedAndCountedByKey()
    {
        var result = Fixtures.Parse(Fixtures.Local("events-non-wifi.json"));

        Assert.True(result.IsValid);
        Assert.False(result.IsUnknownMessageType);
        Assert.Empty(result.Events);
        Assert.Equal(2, result.SkippedEventKeys["EVT_AP_Connected"]);
        Assert.Equal(1, result.SkippedEventKeys["EVT_SW_Lost_Contact"]);
        Assert.Equal(1, result.SkippedEventKeys["EVT_IPS_IpsAlert"]);
    }

    [Fact]
    public void TimeComesFromTimeInUnixMilliseconds()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-data-object.json")).Events);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), e.Time);
    }

    [Fact]
    public void TimeFallsBackToDatetimeWhenTimeIsAbsent()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-datetime-only.json")).Events);

        Assert.Equal(new DateTimeOffset(2024, 3, 1, 10, 15, 30, TimeSpan.Zero), e.Time);
        Assert.Equal(TimeSpan.Zero, e.Time.Offset);
    }

    [Fact]
    public void TimeSentAsAStringOfMillisecondsIsRead()
    {
        var frame = """{"meta":{"rc":"ok","message":"events"},"data":[{"key":"EVT_WU_Connected","user":"00:00:00:00:00:01","time":"1700000000000","datetime":"2001-01-01T00:00:00Z"}]}"""u8.ToArray();

        var e = Assert.Single(Fixtures.Parse(frame).Events);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), e.Time);
    }

    [Fact]
    public void TimeFallsBackToTheReceiveTimeAndSiteToTheConfiguredSite()
    {
        var frame = """{"meta":{"rc":"ok","message":"events"},"data":[{"key":"EVT_WU_Connected","user":"00:00:00:00:00:01"}]}"""u8.ToArray();

        var e = Assert.Single(Fixtures.Parse(frame, new UniFiParserOptions { Site = "home" }).Events);

        Assert.Equal(Fixtures.ReceivedAt, e.Time);
        Assert.Equal("home", e.Site);
    }

    [Fact]
    public void StaSyncSkipsWiredClientsAndReadsGuestEssidNameAndLastSeen()
    {
        var result = Fixtures.Parse(Fixtures.Local("sta-sync-mixed.json"), new UniFiParserOptions { Site = "home" });

        Assert.Equal(1, result.SkippedWiredClients);
        var e = Assert.Single(result.Events);
        Assert.Equal("00:00:00:00:00:06", e.ClientMac);
        Assert.True(e.IsGuest);
        Assert.Equal("Guests", e.Ssid);
        Assert.Equal("Visitor", e.Hostname);
        Assert.Equal(11, e.Channel);
        Assert.Equal("home", e.Site);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000100), e.Time);
    }

    [Fact]
    public void EntriesThatAreNotObjectsOrLackAKeyOrClientMacAreCountedInvalidAndTheRestKept()
    {
        var result = Fixtures.Parse(Fixtures.Local("events-invalid-entries.json"));

        Assert.True(result.IsValid);
        Assert.Equal(3, result.InvalidEntries);
        Assert.Equal("00:00:00:00:00:04", Assert.Single(result.Events).ClientMac);
    }

    [Fact]
    public void RawOutlivesTheFrameBuffer()
    {
        var frame = Fixtures.Local("events-data-object.json");
        var e = Assert.Single(Fixtures.Parse(frame).Events);

        Array.Clear(frame);

        Assert.Equal("EVT_WU_Connected", e.Raw.GetProperty("key").GetString());
    }
}
