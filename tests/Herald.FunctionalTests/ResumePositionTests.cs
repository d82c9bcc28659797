using System.Net;
using System.Text.Json;
using Herald.Testing;

namespace Herald.FunctionalTests;

/// <summary>
/// Resume positions the store cannot honour: a <c>since</c> ahead of the store's last id (its store was reset, or the
/// client made it up) and the largest 64-bit id, on the WebSocket, over SSE and in the history API.
/// </summary>
public sealed class ResumePositionTests
{
    [Fact]
    public async Task ASinceAheadOfTheStoreAnswersTheStoresLastIdIncompleteAndLaterEventsStillArrive()
    {
        await using var app = await TestServer.StartAsync();
        var stored = await app.PublishAsync("ahead/a");

        var (socket, _) = await app.ConnectAsync("topics=ahead/%23&since=1000");
        await using (socket)
        {
            var resumed = await socket.ReceiveAsync("resumed");
            Assert.Equal(1000, resumed.GetProperty("since").GetInt64());
            Assert.Equal(stored, resumed.GetProperty("lastId").GetInt64());
            Assert.False(resumed.GetProperty("complete").GetBoolean());

            // A client that carries on from lastId misses nothing published from here on (ids below its old since).
            var next = await app.PublishAsync("ahead/b");
            Assert.Equal(next, (await socket.ReceiveEventAsync()).EventId());
        }
    }

    [Fact]
    public async Task ASubscribeFrameWithASinceAheadOfTheStoreAnswersTheStoresLastId()
    {
        await using var app = await TestServer.StartAsync();
        var stored = await app.PublishAsync("ahead/a");
        var (socket, _) = await app.ConnectAsync("topics=other");
        await using (socket)
        {
            await socket.SendAsync(new { type = "subscribe", topics = new[] { "ahead/#" }, since = 50, @ref = 1 });

            var resumed = await socket.ReceiveAsync("resumed");
            Assert.Equal(stored, resumed.GetProperty("lastId").GetInt64());
            Assert.False(resumed.GetProperty("complete").GetBoolean());
            var next = await app.PublishAsync("ahead/b");
            Assert.Equal(next, (await socket.ReceiveEventAsync()).EventId());
        }
    }

    [Fact]
    public async Task TheLargestSinceOnTheWebSocketReplaysNothingAndLiveEventsFollow()
    {
        await using var app = await TestServer.StartAsync();
        var stored = await app.PublishAsync("max/a");

        var (socket, _) = await app.ConnectAsync($"topics=max/%23&since={long.MaxValue}");
        await using (socket)
        {
            var subscribed = await socket.ReceiveAsync();
            Assert.Equal("subscribed", subscribed.Type());
            var resumed = await socket.ReceiveAsync();
            Assert.Equal("resumed", resumed.Type());
            Assert.Equal(long.MaxValue, resumed.GetProperty("since").GetInt64());
            Assert.Equal(stored, resumed.GetProperty("lastId").GetInt64());
            Assert.False(resumed.GetProperty("complete").GetBoolean());
            var next = await app.PublishAsync("max/b");
            Assert.Equal(next, (await socket.ReceiveEventAsync()).EventId());
        }
    }

    [Theory]
    [InlineData("since")]
    [InlineData("Last-Event-ID")]
    public async Task AResumePositionAheadOfTheStoreOverSseAnswersTheStoresLastIdAndLaterEventsStillArrive(string how)
    {
        await using var app = await TestServer.StartAsync();
        var stored = await app.PublishAsync("ahead/a");
        foreach (var position in new[] { 1000, long.MaxValue })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, how == "since" ? $"api/stream?topics=ahead/%23&since={position}" : "api/stream?topics=ahead/%23");
            if (how != "since")
            {
                request.Headers.Add("Last-Event-ID", position.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            using var response = await app.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WithTimeout();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var records = await SseReader.ReadRecordsAsync(reader, until: r => r.Event == "resumed");

            Assert.DoesNotContain(records, r => r.Id is not null);
            var resumed = JsonDocument.Parse(records[^1].Data!).RootElement;
            Assert.Equal(position, resumed.GetProperty("since").GetInt64());
            Assert.Equal(stored, resumed.GetProperty("lastId").GetInt64());
            Assert.False(resumed.GetProperty("complete").GetBoolean());
            var next = await app.PublishAsync("ahead/b");
            var live = await SseReader.ReadRecordsAsync(reader, until: r => r.Id is not null);
            Assert.Equal(next.ToString(System.Globalization.CultureInfo.InvariantCulture), live[^1].Id);
            stored = next;
        }
    }

    [Fact]
    public async Task TheLargestAfterInTheHistoryApiReturnsNothing()
    {
        await using var app = await TestServer.StartAsync();
        await app.PublishAsync("max/a");

        var page = await app.GetJsonAsync($"api/events?topic=max/%23&after={long.MaxValue}");

        Assert.Equal(0, page.GetProperty("events").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
        var below = await app.GetJsonAsync($"api/events?topic=max/%23&before={long.MaxValue}&after={long.MaxValue - 1}");
        Assert.Equal(0, below.GetProperty("events").GetArrayLength());
        using var beyond = await app.Http.GetAsync("api/events?after=9223372036854775808");
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
    }
}
