using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Herald.Testing;

namespace Herald.FunctionalTests;

public sealed class RestApiTests
{
    [Fact]
    public async Task RestPublishOfOneEventAndOfAnArrayReachesSubscribers()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, _) = await app.ConnectAsync("topics=rest/%23");
        await using (socket)
        {
            var single = await app.PublishAsync(new { topic = "rest/one", type = "t", data = new { n = 1 }, source = "tests", time = "2026-01-25T03:54:30.123Z" });
            var batch = await app.PublishAsync(new[] { new { topic = "rest/a", type = "t" }, new { topic = "rest/b", type = "t" } });

            var first = await socket.ReceiveEventAsync();
            var data = first.GetProperty("data");
            Assert.Equal(single.Single(), data.GetProperty("id").GetInt64());
            Assert.Equal("rest/one", data.GetProperty("topic").GetString());
            Assert.Equal("t", data.GetProperty("type").GetString());
            Assert.Equal("tests", data.GetProperty("source").GetString());
            Assert.Equal(new DateTimeOffset(2026, 1, 25, 3, 54, 30, 123, TimeSpan.Zero), data.GetProperty("time").GetDateTimeOffset());
            Assert.Equal(1, data.GetProperty("data").GetProperty("n").GetInt32());

            Assert.Equal(2, batch.Length);
            Assert.Equal(batch[0] + 1, batch[1]);
            long[] received = [(await socket.ReceiveEventAsync()).EventId(), (await socket.ReceiveEventAsync()).EventId()];
            Assert.Equal(batch, received);
        }
    }

    [Theory]
    [InlineData("{\"type\":\"t\"}", "'topic' is required")]
    [InlineData("{\"topic\":\"a/#\",\"type\":\"t\"}", "wildcard")]
    [InlineData("{\"topic\":\"a//b\",\"type\":\"t\"}", "empty segment")]
    [InlineData("{\"topic\":\"a\"}", "'type' is required")]
    [InlineData("{\"topic\":\"a\",\"type\":\"t\",\"time\":\"yesterday\"}", "ISO-8601")]
    [InlineData("[{\"topic\":\"a\",\"type\":\"t\"},{\"topic\":\"\",\"type\":\"t\"}]", "Event [1]")]
    [InlineData("[]", "between 1 and")]
    [InlineData("42", "event object or an array")]
    [InlineData("{\"topic\":", "not valid JSON")]
    public async Task InvalidPublishBodiesAreRejectedWithProblemDetails(string body, string hint)
    {
        await using var app = await TestServer.StartAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await app.Http.PostAsync("api/events", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains(hint, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, app.Hub().GetMetrics().EventsPublished);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesThePublishBodyAndItsRefusals()
    {
        await using var app = await TestServer.StartAsync();

        var publish = (await app.GetJsonAsync("openapi/v1.json")).GetProperty("paths").GetProperty("/api/events").GetProperty("post");

        Assert.True(publish.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out var body));
        Assert.True(body.TryGetProperty("schema", out _));
        Assert.True(publish.GetProperty("responses").TryGetProperty("413", out _));
        Assert.True(publish.GetProperty("responses").TryGetProperty("415", out _));
    }

    [Fact]
    public async Task ListEventsPagesThroughATopicWithNext()
    {
        await using var app = await TestServer.StartAsync();
        var expected = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            expected.Add(await app.PublishAsync("page/a"));
            await app.PublishAsync("page/b");
        }

        var seen = new List<long>();
        long after = 0;
        var pages = 0;
        while (true)
        {
            var page = await app.GetJsonAsync($"api/events?topic=page/a&after={after}&limit=2");
            pages++;
            var ids = page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
            Assert.True(ids.Count <= 2);
            Assert.All(page.GetProperty("events").EnumerateArray(), e => Assert.Equal("page/a", e.GetProperty("topic").GetString()));
            seen.AddRange(ids);
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                break;
            }

            after = page.GetProperty("next").GetInt64();
            Assert.True(pages < 10, "Paging does not end.");
        }

        Assert.Equal(expected, seen);
        Assert.Equal(3, pages);

        var all = await app.GetJsonAsync("api/events");
        Assert.Equal(10, all.GetProperty("events").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, all.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task ListEventsRejectsBadPagingAndPatterns()
    {
        await using var app = await TestServer.StartAsync();
        foreach (var query in new[] { "limit=0", "limit=1001", "after=-1", "topic=a/%23/b" })
        {
            using var response = await app.Http.GetAsync("api/events?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task GetEventByIdReturnsTheEventOr404()
    {
        await using var app = await TestServer.StartAsync();
        var id = await app.PublishAsync("one", "t", new { n = 7 });

        var e = await app.GetJsonAsync($"api/events/{id}");
        Assert.Equal(id, e.GetProperty("id").GetInt64());
        Assert.Equal("one", e.GetProperty("topic").GetString());
        Assert.Equal(7, e.GetProperty("data").GetProperty("n").GetInt32());

        using var missing = await app.Http.GetAsync($"api/events/{id + 100}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task HealthReportsTheHubAndTheStore()
    {
        await using var app = await TestServer.StartAsync();
        await app.PublishAsync("h");

        using var response = await app.Http.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        var components = health.GetProperty("components");
        Assert.Equal("healthy", components.GetProperty("hub").GetProperty("status").GetString());
        Assert.Equal("healthy", components.GetProperty("store").GetProperty("status").GetString());
        Assert.Equal(1, components.GetProperty("store").GetProperty("details").GetProperty("lastId").GetInt64());
    }

    [Fact]
    public async Task MetricsCountersMoveWithTraffic()
    {
        await using var app = await TestServer.StartAsync();
        var before = await app.MetricsAsync();
        Assert.Equal(0, before.GetProperty("connections").GetInt32());
        Assert.Equal(0, before.GetProperty("eventsPublished").GetInt64());

        var (socket, _) = await app.ConnectAsync("topics=m");
        await using (socket)
        {
            var id = await app.PublishAsync("m");
            await app.PublishAsync(new[] { new { topic = "m", type = "t" }, new { topic = "other", type = "t" } });
            Assert.Equal(id, (await socket.ReceiveEventAsync()).EventId());
            await socket.ReceiveEventAsync();

            // welcome + two events; a frame is counted once its send completed, which may trail the client's receive.
            await Timeouts.Until(() => app.Hub().GetMetrics().FramesSent >= 3, "the sent frames are counted");
            var after = await app.MetricsAsync();
            Assert.Equal(1, after.GetProperty("connections").GetInt32());
            Assert.Equal(1, after.GetProperty("connectionsTotal").GetInt64());
            Assert.Equal(3, after.GetProperty("eventsPublished").GetInt64());
            Assert.Equal(3, after.GetProperty("framesSent").GetInt64());
            Assert.True(after.GetProperty("broadcastLatencyMaxMs").GetDouble() > 0);
        }
    }
}
