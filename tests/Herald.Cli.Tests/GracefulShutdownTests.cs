using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Herald.Testing;

namespace Herald.Cli.Tests;

/// <summary>SIGTERM stops <c>herald serve</c> gracefully: sockets close with 1001, acknowledged publishes are stored, exit 0.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task SigtermClosesSocketsWith1001KeepsEveryAcknowledgedPublishAndExitsZero()
    {
        using var directory = new TempDirectory();
        var database = $"--Herald:Sqlite:Path={directory.DatabasePath}";
        var acknowledged = new ConcurrentBag<long>();
        await using (var server = await ChildServer.StartAsync(database))
        {
            var ws = new Uri($"ws://{server.BaseAddress.Authority}/ws/events?topics=load/%23");
            var (a, _) = await JsonSocket.ConnectWelcomedAsync(ws);
            var (b, _) = await JsonSocket.ConnectWelcomedAsync(ws);
            await using (a)
            await using (b)
            {
                using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeouts.Default };
                using var stop = new CancellationTokenSource();
                var publishers = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
                {
                    for (var n = 0; n < 5000 && !stop.IsCancellationRequested; n++)
                    {
                        try
                        {
                            using var response = await http.PostAsJsonAsync("api/events", new { topic = "load/p" + p, type = "n", data = n });
                            if (response.StatusCode == HttpStatusCode.Created)
                            {
                                acknowledged.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ids")[0].GetInt64());
                            }
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                        {
                            return; // the server stopped listening
                        }
                    }
                })).ToArray();

                await Timeouts.Until(() => acknowledged.Count >= 100, "publishes are flowing");
                await server.TerminateAsync();

                Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await a.WaitForCloseAsync());
                Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await b.WaitForCloseAsync());
                Assert.Equal("server shutting down", a.CloseReason);
                Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
                await stop.CancelAsync();
                await Task.WhenAll(publishers).WithTimeout();
            }
        }

        // After a restart, every publish that was answered 201 is there.
        await using var restarted = await ChildServer.StartAsync(database);
        using var client = new HttpClient { BaseAddress = restarted.BaseAddress, Timeout = Timeouts.Default };
        var stored = new HashSet<long>();
        long after = 0;
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"api/events?topic=load/%23&after={after}&limit=1000");
            stored.UnionWith(page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                break;
            }

            after = page.GetProperty("next").GetInt64();
        }

        Assert.NotEmpty(acknowledged);
        Assert.DoesNotContain(acknowledged, id => !stored.Contains(id));
    }
}
