namespace Herald.UniFi.Tests;

public sealed class ControllerFixtureTests
{
    public static TheoryData<string> ControllerFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Fixtures.ControllerDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ControllerFiles))]
    public void EveryControllerFrameParsesAsAValidFrame(string file)
    {
        var result = Fixtures.Parse(Fixtures.Controller(file));

        Assert.True(result.IsValid, result.ErrorDescription);
        Assert.Equal(0, result.InvalidEntries);
    }

    [Fact]
    public void ConnectedEventIsNormalizedWithEveryField()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Controller("events-wu-connected.json")).Events);

        Assert.Equal("wu.connected", e.Type);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1587753456179), e.Time);
        Assert.Equal("5a32aa4ee4b0412345678910", e.Site);
        Assert.Equal("00:00:00:00:00:01", e.ClientMac);
        Assert.Equal("80:2a:a8:00:01:02", e.ApMac);
        Assert.Equal("SSID", e.Ssid);
        Assert.Equal("client", e.Hostname);
        Assert.Equal("na", e.Radio);
        Assert.Equal(44, e.Channel);
        Assert.StartsWith("User[00:00:00:00:00:01] has connected", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsGuest);
        Assert.Equal("5ea331fa30c49e00f90ddc1a", e.Raw.GetProperty("_id").GetString());
    }

    [Fact]
    public void DisconnectedEventIsNormalized()
    {
        var e = Assert.Single(Fixtures.Parse(Fixtures.Controller("events-wu-disconnected.json")).Events);

        Assert.Equal("wu.disconnected", e.Type);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1587752927000), e.Time);
        Assert.Equal("00:00:00:00:00:01", e.ClientMac);
        Assert.Equal("80:2a:a8:00:01:02", e.ApMac);
        Assert.Null(e.Channel);
        Assert.Null(e.Radio);
    }

    [Fact]
    public void StaSyncRecordUsesMacApMacEssidAndLastSeen()
    {
        var result = Fixtures.Parse(Fixtures.Controller("sta-sync.json"));

        var e = Assert.Single(result.Events);
        Assert.Equal("sta:sync", e.Type);
        Assert.Equal("00:00:00:00:00:01", e.ClientMac);
        Assert.Equal("80:2a:a8:00:01:02", e.ApMac);
        Assert.Equal("SSID", e.Ssid);
        Assert.Equal("client", e.Hostname);
        Assert.Equal(44, e.Channel);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1587765360), e.Time);
        Assert.False(e.IsGuest);
    }

    [Fact]
    public void UserDeleteIsAnUnknownMessageTypeSkippedWithoutError()
    {
        var result = Fixtures.Parse(Fixtures.Controller("user-delete.json"));

        Assert.True(result.IsValid);
        Assert.True(result.IsUnknownMessageType);
        Assert.Equal("user:delete", result.MessageType);
        Assert.Empty(result.Events);
    }
}
