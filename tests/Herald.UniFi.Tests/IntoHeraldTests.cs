using Herald.Cli;
using Herald.Server;
using Herald.Testing;
using Herald.UniFi.Tests.FakeController;

namespace Herald.UniFi.Tests;

public sealed class IntoHeraldTests
{
    private const string Topic = "unifi/default/wifi";

    [Fact]
    public async Task ServeRunsTheConfiguredSourcesAndStoresTheirEvents()
    {
        await using var fake = await FakeUniFiController.StartAsync();
        await using var app = await LoopbackApp.StartAsync(
            args => HeraldServer.Build(args),
            $"--Herald:UniFi:Sources:0:Controller={fake.BaseAddress}",
            $"--Herald:UniFi:Sources:0:Username={fake.Settings.Username}",
            $"--Herald:UniFi:Sources:0:Password={fake.Settings.Password}",
            $"--Herald:UniFi:Sources:0:CertificateSha256={TestCertificates.Sha256(fake.Certificate)}");

        var socket = await fake.NextConnectionAsync();
        await socket.SendAsync(TestFrames.Connected(1));
        await socket.SendAsync(Fixtures.Controller("events-wu-disconnected.json"));

        var stored = await HubStreamingTests.WaitForStoredAsync(app, Topic, 2);
        Assert.Equal([UniFiEventTypes.Connected, UniFiEventTypes.Disconnected], stored.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(TestFrames.Mac(1), stored[0].GetProperty("data").GetProperty("clientMac").GetString());
    }

    [Fact]
    public async Task UnifiCommandPublishesControllerEventsToAHeraldServerUntilCancelled()
    {
        await using var fake = await FakeUniFiController.StartAsync();
        await using var app = await LoopbackApp.StartAsync(args => HeraldServer.Build(args));
        using var directory = new TempDirectory();
        var passwordFile = Path.Combine(directory.Path, "password");
        await File.WriteAllTextAsync(passwordFile, fake.Settings.Password + "\n");
        using var cts = new CancellationTokenSource(Timeouts.Long);
        var error = new StringWriter();
        var console = new CliConsole(TextReader.Null, new StringWriter(), error);

        var command = HeraldCommandLine.Parse(
            ["unifi", "--controller", fake.BaseAddress.ToString(), "--username", fake.Settings.Username, "--password-file", passwordFile,
             "--certificate-sha256", TestCertificates.Sha256(fake.Certificate), "--server", app.BaseAddress.ToString()],
            console).InvokeAsync(cancellationToken: cts.Token);
        var socket = await fake.NextConnectionAsync();
        await socket.SendAsync(TestFrames.Connected(1));
        await socket.SendAsync(TestFrames.Connected(2));
        var stored = await HubStreamingTests.WaitForStoredAsync(app, Topic, 2);
        await cts.CancelAsync();

        Assert.Equal(0, await command.WaitAsync(Timeouts.Default));
        Assert.Equal([TestFrames.Mac(1), TestFrames.Mac(2)], stored.Select(e => e.GetProperty("data").GetProperty("clientMac").GetString()));
        Assert.DoesNotContain(fake.Settings.Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnifiCommandWithoutAPasswordExplainsWhereItIsReadFrom()
    {
        var error = new StringWriter();
        var code = await HeraldCommandLine.Parse(
            ["unifi", "--controller", "https://127.0.0.1:1", "--username", "u", "--password-file", "/nonexistent/password"],
            new CliConsole(TextReader.Null, new StringWriter(), error)).InvokeAsync().WaitAsync(Timeouts.Default);

        Assert.NotEqual(0, code);
        Assert.Contains("/nonexistent/password", error.ToString(), StringComparison.Ordinal);
    }
}
