using System.Net;
using System.Net.Http.Json;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.FunctionalTests.Durability;

public sealed class StreamTests
{
    [Fact]
    public async Task SseResumesAfterLastEventIdThenStreamsLive()
    {
        using var directory = new TempDirectory();
        await using var app = await DurableServer.StartAsync(directory, "--Herald:HeartbeatInterval=00:00:00.200");
        var hub = app.Services.GetHub();
        await hub.PublishAsync([.. Enumerable.Range(1, 5).Select(i => NewEvent.Create("feed/a", "item", i))]);

        using var request = new HttpRequestMessage(HttpMethod.Get, "api/stream?topics=feed/%23&since=0");
        request.Headers.Add("Last-Event-ID", "3");
        using var response = await app.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WithTimeout();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var replayed = await ReadRecordsAsync(reader, until: r => r.Event == "resumed");
        await hub.PublishAsync(NewEvent.Create("feed/a", "item", 6));
        var live = await ReadRecordsAsync(reader, until: r => r.Id is not null);
        var heartbeat = await ReadRecordsAsync(reader, until: r => r.Comment == "ping");

        Assert.Equal(["4", "5"], replayed.Where(r => r.Id is not null).Select(r => r.Id));
        Assert.All(replayed.Where(r => r.Id is not null), r => Assert.Equal("item", r.Event));
        Assert.Contains("\"complete\":true", replayed.Single(r => r.Event == "resumed").Data, StringComparison.Ordinal);
        Assert.Equal("6", live[^1].Id);
        Assert.Contains("\"topic\":\"feed/a\"", live[^1].Data, StringComparison.Ordinal);
        Assert.NotEmpty(heartbeat);
    }

    [Fact]
    public async Task PublishAnswers503WhenTheStoreCannotTakeWrites()
    {
        using var directory = new TempDirectory();
        var store = new CountingEventStore(new InMemoryEventStore()) { FailAppends = true };
        await using var app = await LoopbackApp.StartAsync(a => Herald.Server.HeraldServer.Build(a, b => b.Services.AddSingleton<IEventStore>(store)));

        var response = await app.Http.PostAsJsonAsync("api/events", new { topic = "a/b", type = "t" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("disk is full", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<List<SseRecord>> ReadRecordsAsync(StreamReader reader, Func<SseRecord, bool> until)
    {
        var records = new List<SseRecord>();
        var current = new SseRecord();
        while (true)
        {
            var line = await reader.ReadLineAsync().WithTimeout() ?? throw new InvalidOperationException("The stream ended.");
            if (line.Length == 0)
            {
                records.Add(current);
                if (until(current))
                {
                    return records;
                }

                current = new SseRecord();
            }
            else if (line.StartsWith(": ", StringComparison.Ordinal))
            {
                current = current with { Comment = line[2..] };
            }
            else
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var (field, value) = (line[..colon], line[(colon + 1)..].TrimStart());
                current = field switch
                {
                    "id" => current with { Id = value },
                    "event" => current with { Event = value },
                    "data" => current with { Data = value },
                    _ => current,
                };
            }
        }
    }

    private sealed record SseRecord(string? Id = null, string? Event = null, string? Data = null, string? Comment = null);
}
