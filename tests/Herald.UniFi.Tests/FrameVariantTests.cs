namespace Herald.UniFi.Tests;

public sealed class FrameVariantTests
{
    [Fact]
    public void Several_events_in_one_frame_keep_their_order_and_skip_the_non_wifi_key()
    {
        var result = Fixtures.Parse(Fixtures.Local("events-several.json"));

        Assert.Equal(["wu.connected", "wu.disconnected", "wu.roam"], result.Events.Select(e => e.Type));
        Assert.Equal(["00:00:00:00:00:01", "00:00:00:00:00:02", "00:00:00:00:00:03"], result.Events.Select(e => e.ClientMac));
        Assert.Equal(1, result.SkippedEventKeys["EVT_AP_Connected"]);
    }

    [Fact]
    public void Data_as_an_object_is_read_as_a_single_entry()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-data-object.json")).Events);

        Assert.Equal("wu.connected", e.Type);
        Assert.Equal("00:00:00:00:00:01", e.ClientMac);
    }

    [Fact]
    public void Channel_sent_as_a_string_is_read_as_an_int()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-channel-string.json")).Events);

        Assert.Equal(36, e.Channel);
    }

    [Fact]
    public void Channel_sent_as_a_number_is_read_as_an_int()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-data-object.json")).Events);

        Assert.Equal(44, e.Channel);
    }

    [Fact]
    public void Newer_firmware_fields_are_tolerated_ap_name_is_kept_and_macs_are_lower_cased()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-newer-firmware.json")).Events);

        Assert.Equal("aa:bb:cc:dd:ee:01", e.ClientMac);
        Assert.Equal("80:2a:a8:00:01:02", e.ApMac);
        Assert.Equal("Living Room", e.ApName);
        Assert.Equal(149, e.Channel);
        Assert.Equal("U7PG2", e.Raw.GetProperty("ap_model").GetString());
    }

    [Fact]
    public void Roam_carries_both_aps_channels_and_radios_and_the_current_ones_are_the_destination()
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
    public void Roam_radio_keeps_the_ap_and_reads_radio_and_channel_changes()
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
    public void Guest_events_map_to_wg_types_take_the_mac_from_guest_and_are_flagged()
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
    public void Each_wifi_key_maps_to_its_normalized_type(string key, string type, bool guest)
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
    public void Unknown_message_types_are_skipped_and_named(string file, string messageType)
    {
        var result = Fixtures.Parse(Fixtures.Local(file));

        Assert.True(result.IsValid);
        Assert.True(result.IsUnknownMessageType);
        Assert.Equal(messageType, result.MessageType);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void Non_wifi_event_keys_are_skipped_and_counted_by_key()
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
    public void Time_comes_from_time_in_unix_milliseconds()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-data-object.json")).Events);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), e.Time);
    }

    [Fact]
    public void Time_falls_back_to_datetime_when_time_is_absent()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Local("events-datetime-only.json")).Events);

        Assert.Equal(new DateTimeOffset(2024, 3, 1, 10, 15, 30, TimeSpan.Zero), e.Time);
        Assert.Equal(TimeSpan.Zero, e.Time.Offset);
    }

    [Fact]
    public void Time_sent_as_a_string_of_milliseconds_is_read()
    {
        var frame = """{"meta":{"rc":"ok","message":"events"},"data":[{"key":"EVT_WU_Connected","user":"00:00:00:00:00:01","time":"1700000000000","datetime":"2001-01-01T00:00:00Z"}]}"""u8.ToArray();

        var e = Assert.Single(Fixtures.Parse(frame).Events);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), e.Time);
    }

    [Fact]
    public void Time_falls_back_to_the_receive_time_and_site_to_the_configured_site()
    {
        var frame = """{"meta":{"rc":"ok","message":"events"},"data":[{"key":"EVT_WU_Connected","user":"00:00:00:00:00:01"}]}"""u8.ToArray();

        var e = Assert.Single(Fixtures.Parse(frame, new UniFiParserOptions { Site = "home" }).Events);

        Assert.Equal(Fixtures.ReceivedAt, e.Time);
        Assert.Equal("home", e.Site);
    }

    [Fact]
    public void Sta_sync_skips_wired_clients_and_reads_guest_essid_name_and_last_seen()
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
    public void Entries_that_are_not_objects_or_lack_a_key_or_client_mac_are_counted_invalid_and_the_rest_kept()
    {
        var result = Fixtures.Parse(Fixtures.Local("events-invalid-entries.json"));

        Assert.True(result.IsValid);
        Assert.Equal(3, result.InvalidEntries);
        Assert.Equal("00:00:00:00:00:04", Assert.Single(result.Events).ClientMac);
    }

    [Fact]
    public void Raw_outlives_the_frame_buffer()
    {
        var frame = Fixtures.Local("events-data-object.json");
        var e = Assert.Single(Fixtures.Parse(frame).Events);

        Array.Clear(frame);

        Assert.Equal("EVT_WU_Connected", e.Raw.GetProperty("key").GetString());
    }
}
