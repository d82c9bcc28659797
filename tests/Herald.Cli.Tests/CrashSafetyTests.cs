using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Sqlite;
using Herald.Testing;

namespace Herald.Cli.Tests;

public sealed class CrashSafetyTests
{
    [Fact]
    public async Task KillDuringAPublishStormLosesNoAcknowledgedEvent()
    {
        using var directory = new TempDirectory();
        var acknowledged = new ConcurrentDictionary<long, int>();
        await using (var server = await ChildServer.StartAsync($"--Herald:Sqlite:Path={directory.DatabasePath}"))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeouts.Default };
            using var storm = new CancellationTokenSource();
            var publishers = Enumerable.Range(0, 16).Select(p => Task.Run(async () =>
            {
                for (var n = 0; !storm.IsCancellationRequested; n++)
                {
                    try
                    {
                        var value = (p * 1_000_000) + n;
                        var response = await http.PostAsJsonAsync("api/events", new { topic = "storm/p" + p, type = "n", data = value });
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                            acknowledged[body.GetProperty("ids")[0].GetInt64()] = value;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToArray();

            await Timeouts.Until(() => acknowledged.Count >= 300, "the storm is under way");
            await server.KillAsync();
            await storm.CancelAsync();
            await Task.WhenAll(publishers).WithTimeout();
        }

        // The database opens cleanly and holds every acknowledged event with its payload.
        await using var store = new SqliteEventStore(new SqliteStoreOptions { Path = directory.DatabasePath });
        await store.InitializeAsync(CancellationToken.None);
        foreach (var (id, value) in acknowledged)
        {
            var stored = await store.GetAsync(id, CancellationToken.None);
            Assert.NotNull(stored);
            Assert.Equal(value, stored.GetData<int>());
        }

        var bounds = await store.GetBoundsAsync(CancellationToken.None);
        var appended = await store.AppendAsync([NewEvent.Create("after/crash", "n", 0)], CancellationToken.None);
        Assert.True(appended[0].Id > acknowledged.Keys.Max());
        Assert.Equal(bounds.LastId + 1, appended[0].Id);
    }
}
