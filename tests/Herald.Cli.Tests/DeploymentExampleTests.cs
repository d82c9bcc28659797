using System.Net;
using System.Text.Json;
using Herald.Testing;

namespace Herald.Cli.Tests;

/// <summary>docs/deploy/: the systemd unit's command line and the sample settings start a ready server as written.</summary>
public sealed class DeploymentExampleTests
{
    [Fact]
    public async Task TheSystemdUnitsCommandWithTheSampleSettingsServesAndIsReady()
    {
        var unit = await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "Deploy", "herald.service"));
        var execStart = unit.Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal))["ExecStart=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("/herald", execStart[0], StringComparison.Ordinal);
        Assert.Equal("serve", execStart[1]);
        Assert.Contains(unit, l => l == "KillSignal=SIGTERM");
        Assert.Contains(unit, l => l == "RestartPreventExitStatus=2");

        // The unit's arguments as written, but a free loopback port (the test server's) and a temporary database.
        var args = new List<string>();
        for (var i = 2; i < execStart.Length; i++)
        {
            if (execStart[i] == "--urls")
            {
                i++;
                continue;
            }

            args.Add(execStart[i]);
        }

        using var directory = new TempDirectory();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Deploy", "appsettings.json"), Path.Combine(directory.Path, "appsettings.json"));
        args.Add($"--Herald:Sqlite:Path={directory.DatabasePath}");
        await using var server = await ChildServer.StartInAsync(directory.Path, args);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeouts.Default };

        using var ready = await http.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("sqlite").GetProperty("status").GetString());
        Assert.True(File.Exists(directory.DatabasePath));

        // The sample's settings are in force: its origin is allowed, its metrics path served, and the unit's log format used.
        var upgrade = await RawUpgrade.SendAsync(server.BaseAddress, "/ws/events", ("Origin", "https://dash.example.com"));
        Assert.Equal(101, upgrade.StatusCode);
        Assert.Equal(403, (await RawUpgrade.SendAsync(server.BaseAddress, "/ws/events", ("Origin", "https://elsewhere.example.com"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("metrics")).StatusCode);
        await Timeouts.Until(() => !server.Output.IsEmpty, "the server logs");
        Assert.All(server.Output.Where(l => l.Length > 0), l => JsonDocument.Parse(l).Dispose());
    }
}
