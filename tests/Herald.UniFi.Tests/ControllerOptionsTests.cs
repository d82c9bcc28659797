namespace Herald.UniFi.Tests;

public sealed class ControllerOptionsTests
{
    private static UniFiControllerOptions Valid() => new()
    {
        Controller = new Uri("https://192.168.1.1"),
        Username = "herald",
        Password = "secret",
    };

    [Fact]
    public void DefaultsAreAsDocumented()
    {
        var options = Valid();

        Assert.Equal("default", options.Site);
        Assert.Null(options.Kind);
        Assert.False(options.AcceptAnyCertificate);
        Assert.Null(options.PinnedCertificateSha256);
        Assert.Equal(TimeSpan.FromSeconds(30), options.KeepAliveInterval);
        Assert.Equal(TimeSpan.FromSeconds(15), options.KeepAliveTimeout);
        Assert.Null(options.SilenceTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        options.Validate();
    }

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 30)]
    [InlineData(3, 60)]
    [InlineData(5, 240)]
    [InlineData(6, 300)]
    [InlineData(100, 300)]
    [InlineData(int.MaxValue, 300)]
    public void DefaultReconnectDelayStartsAt15SecondsAndDoublesTo5MinutesLessSmallJitter(int attempt, int seconds)
    {
        var delay = UniFiControllerOptions.DefaultReconnectDelay(attempt);

        Assert.InRange(delay, TimeSpan.FromSeconds(seconds * 0.9), TimeSpan.FromSeconds(seconds));
    }

    public static TheoryData<string, Action<UniFiControllerOptions>> InvalidSettings => new()
    {
        { "absolute https://", o => o.Controller = new Uri("ftp://controller") },
        { "user info", o => o.Controller = new Uri("https://admin:pw@controller") },
        { "Site", o => o.Site = "my site" },
        { "Site", o => o.Site = "a/b" },
        { "Username", o => o.Username = "" },
        { "Password", o => o.Password = "" },
        { "not both", o => { o.AcceptAnyCertificate = true; o.PinnedCertificateSha256 = new string('a', 64); } },
        { "64 hex digits", o => o.PinnedCertificateSha256 = "abc" },
        { "64 hex digits", o => o.PinnedCertificateSha256 = new string('g', 64) },
        { "KeepAlive", o => o.KeepAliveTimeout = TimeSpan.FromSeconds(-1) },
        { "SilenceTimeout", o => o.SilenceTimeout = TimeSpan.Zero },
        { "ReconnectDelay", o => o.ReconnectDelay = null! },
        { "RequestTimeout", o => o.RequestTimeout = TimeSpan.Zero },
        { "Kind", o => o.Kind = (UniFiControllerKind)7 },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void InvalidSettingsAreRefusedAtConstructionWithAClearMessage(string expected, Action<UniFiControllerOptions> change)
    {
        var options = Valid();
        change(options);

        var ex = Assert.Throws<ArgumentException>(() => new UniFiSource(options));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunningTwiceAtOnceIsRefused()
    {
        var options = Valid();
        options.Controller = new Uri("https://127.0.0.1:1");
        options.ReconnectDelay = _ => TimeSpan.FromMinutes(1);
        await using var source = new UniFiSource(options);
        using var cts = new CancellationTokenSource();
        var run = source.RunAsync((_, _) => ValueTask.CompletedTask, cts.Token);

        Assert.Throws<InvalidOperationException>(() => { _ = source.RunAsync((_, _) => ValueTask.CompletedTask, cts.Token); });

        await cts.CancelAsync();
        await run.WaitAsync(Herald.Testing.Timeouts.Default);
        Assert.Equal(UniFiSourceState.Stopped, source.State);
    }
}
