using System.Net;
using System.Net.Http.Json;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.FunctionalTests.Durability;

public sealed class StreamTests
{
    [Fact]
    public async Task SseResumesAfterLastEventIdThenStreamsLiveWithRecordsNamedOnRequest()
    {
        using var directory = new TempDirectory();
        await using var app = await DurableServer.StartAsync(directory, "--Herald:HeartbeatInterval=00:00:00.200");
        var hub = app.Services.GetHub();
        await hub.PublishAsync([.. Enumerable.Range(1, 5).Select(i => NewEvent.Create("feed/a", "item", i))]);

        using var request = new HttpRequestMessage(HttpMethod.Get, "api/stream?topics=feed/%23&since=0&sseEvents=named");
        request.Headers.Add("Last-Event-ID", "3");
        using var response = await app.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WithTimeout();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var replayed = await SseReader.ReadRecordsAsync(reader, until: r => r.Event == "resumed");
        await hub.PublishAsync(NewEvent.Create("feed/a", "item", 6));
        var live = await SseReader.ReadRecordsAsync(reader, until: r => r.Id is not null);
        var heartbeat = await SseReader.ReadRecordsAsync(reader, until: r => r.Comment == "ping");

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
}
