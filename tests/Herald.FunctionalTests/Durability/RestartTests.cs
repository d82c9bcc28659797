using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Testing;

namespace Herald.FunctionalTests.Durability;

public sealed class RestartTests
{
    [Fact]
    public async Task RestartKeepsEventsAndContinuesIds()
    {
        using var directory = new TempDirectory();
        long[] before;
        await using (var first = await DurableServer.StartAsync(directory))
        {
            before = await PublishAsync(first, 5);
        }

        await using var second = await DurableServer.StartAsync(directory);
        var after = await PublishAsync(second, 3);

        Assert.Equal([1, 2, 3, 4, 5], before);
        Assert.Equal([6, 7, 8], after);
        var page = await second.Http.GetFromJsonAsync<JsonElement>("api/events?limit=100");
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task QueuedSessionMessagesSurviveARestart()
    {
        using var directory = new TempDirectory();
        string sessionId;
        string token;
        await using (var first = await DurableServer.StartAsync(directory))
        {
            var (socket, welcome) = await JsonSocket.ConnectWelcomedAsync(first.WebSocketUri("ws/events?session=desk-7"));
            sessionId = welcome.GetProperty("sessionId").GetString()!;
            token = welcome.GetProperty("resumeToken").GetString()!;
            await socket.DisposeAsync();
            await Timeouts.Until(() => first.Services.GetHub().ConnectionCount == 0, "the socket is gone");

            var response = await first.Http.PostAsJsonAsync($"api/sessions/{sessionId}/messages", new { text = "kept on disk" });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await using var second = await DurableServer.StartAsync(directory);
        var (resumed, _) = await JsonSocket.ConnectWelcomedAsync(second.WebSocketUri($"ws/events?session={sessionId}&resume={token}"));
        await using (resumed)
        {
            var message = await resumed.ReceiveAsync("message");
            Assert.Equal("kept on disk", message.GetProperty("data").GetProperty("text").GetString());
        }
    }

    [Fact]
    public async Task SecondServerOnTheSameDatabaseFailsAtStartNamingTheLock()
    {
        using var directory = new TempDirectory();
        await using var first = await DurableServer.StartAsync(directory);

        var failure = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => DurableServer.StartAsync(directory));

        Assert.Contains("herald.db.lock", failure.Message, StringComparison.Ordinal);
    }

    private static async Task<long[]> PublishAsync(LoopbackApp app, int count)
    {
        var events = Enumerable.Range(0, count).Select(i => new { topic = "restart/test", type = "tick", data = new { i } });
        var response = await app.Http.PostAsJsonAsync("api/events", events);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64())];
    }
}
