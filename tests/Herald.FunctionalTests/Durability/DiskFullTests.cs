using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Herald.Testing;

namespace Herald.FunctionalTests.Durability;

public sealed class DiskFullTests
{
    [Fact]
    public async Task PublishOnAFullDiskAnswers503NamingTheCauseAndNothingIsAcknowledgedFalsely()
    {
        using var directory = new TempDirectory();
        // A real full disk: a 1 MiB tmpfs (the tests run as root, in CI too).
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", directory.Path);
        try
        {
            await using var app = await DurableServer.StartAsync(directory);
            var payload = new string('x', 16 * 1024);
            var acknowledged = new List<long>();
            HttpResponseMessage? refused = null;
            for (var i = 0; i < 200 && refused is null; i++)
            {
                var response = await app.Http.PostAsJsonAsync("api/events", new { topic = "fill/up", type = "blob", data = payload });
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("ids")[0].GetInt64());
                }
                else
                {
                    refused = response;
                }
            }

            Assert.NotNull(refused);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("is full", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            foreach (var id in acknowledged)
            {
                Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync($"api/events/{id}")).StatusCode);
            }
        }
        finally
        {
            await RunAsync("umount", "-l", directory.Path);
        }
    }

    [Fact]
    public async Task ReadinessGoesNotReadyWhileTheDiskIsFullAndReadyAgainOnceThereIsRoom()
    {
        using var directory = new TempDirectory();
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", directory.Path);
        try
        {
            // Ballast to delete later: the way an operator makes room.
            var ballast = Path.Combine(directory.Path, "ballast");
            await File.WriteAllBytesAsync(ballast, new byte[320 * 1024]);
            await using var app = await DurableServer.StartAsync(directory);
            Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("readyz")).StatusCode);

            var payload = new string('x', 16 * 1024);
            var filled = false;
            for (var i = 0; i < 200 && !filled; i++)
            {
                using var response = await app.Http.PostAsJsonAsync("api/events", new { topic = "fill/up", type = "blob", data = payload });
                filled = response.StatusCode == HttpStatusCode.ServiceUnavailable;
            }

            Assert.True(filled, "the disk never filled up");
            using (var notReady = await app.Http.GetAsync("readyz"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
                var report = await notReady.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
                Assert.Equal("Unhealthy", report.GetProperty("checks").GetProperty("sqlite").GetProperty("status").GetString());
                Assert.Contains("is full", report.GetProperty("checks").GetProperty("sqlite").GetProperty("description").GetString(), StringComparison.Ordinal);
            }

            // Still alive: liveness says nothing about the disk.
            Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("healthz")).StatusCode);

            // Room again, and no publish needed to notice it.
            File.Delete(ballast);
            await Timeouts.Until(() => app.Http.GetAsync("readyz").GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK, "readiness returns once there is room");
            using var accepted = await app.Http.PostAsJsonAsync("api/events", new { topic = "fill/up", type = "blob", data = payload });
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        }
        finally
        {
            await RunAsync("umount", "-l", directory.Path);
        }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync().WithTimeout();
        await process.WaitForExitAsync().WithTimeout();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed (this test needs root, as CI has): {error}");
    }
}
