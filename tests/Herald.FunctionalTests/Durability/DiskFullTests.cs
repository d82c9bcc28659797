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

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync().WithTimeout();
        await process.WaitForExitAsync().WithTimeout();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed (this test needs root, as CI has): {error}");
    }
}
