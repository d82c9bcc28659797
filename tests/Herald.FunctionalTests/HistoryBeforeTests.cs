using System.Net;
using System.Text.Json;
using Herald.FunctionalTests.Durability;
using Herald.Testing;

namespace Herald.FunctionalTests;

public sealed class HistoryBeforeTests
{
    [Fact]
    public async Task BeforePagesBackwardFromTheNewestInIdOrderUntilPrevIsNull()
    {
        await using var app = await TestServer.StartAsync();
        await app.PublishAsync(Enumerable.Range(1, 25).Select(i => new { topic = "back/all", type = "t", data = new { i } }).ToArray());

        var seen = new List<long>();
        long? before = 26;
        var pages = 0;
        while (before is { } b)
        {
            var page = await app.GetJsonAsync($"api/events?before={b}&limit=10");
            var ids = Ids(page);
            Assert.Equal(ids.Order(), ids);
            Assert.All(ids, id => Assert.True(id < b));
            seen.InsertRange(0, ids);
            before = page.GetProperty("prev").ValueKind == JsonValueKind.Null ? null : page.GetProperty("prev").GetInt64();
            pages++;
        }

        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task BeforeFindsTheNewestEventsOfASparseTopicAcrossMuchOtherTraffic()
    {
        using var directory = new TempDirectory();
        await using var app = await DurableServer.StartAsync(directory, "--Herald:Sqlite:Synchronous=Normal");
        var rare = new List<long>();
        for (var round = 0; round < 5; round++)
        {
            rare.AddRange(await app.PublishAsync(new[] { new { topic = "rare/x", type = "t" } }));
            await app.PublishAsync(Enumerable.Range(0, 900).Select(i => new { topic = "busy/y", type = "t" }).ToArray());
        }

        var newest = await app.GetJsonAsync("api/events?topic=rare/%23&before=100000&limit=3");
        var rest = await app.GetJsonAsync($"api/events?topic=rare/%23&before={newest.GetProperty("prev").GetInt64()}&limit=3");

        Assert.Equal(rare.TakeLast(3), Ids(newest));
        Assert.Equal(rare.Take(2), Ids(rest));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("prev").ValueKind);
    }

    [Fact]
    public async Task BeforeTogetherWithAfterReturnsTheNewestOfTheRangeBetween()
    {
        await using var app = await TestServer.StartAsync();
        await app.PublishAsync(Enumerable.Range(1, 10).Select(i => new { topic = "range/a", type = "t" }).ToArray());

        var page = await app.GetJsonAsync("api/events?after=3&before=8&limit=2");
        var rest = await app.GetJsonAsync("api/events?after=3&before=6&limit=5");

        Assert.Equal([6L, 7L], Ids(page));
        Assert.Equal(6, page.GetProperty("prev").GetInt64());
        Assert.Equal([4L, 5L], Ids(rest));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("prev").ValueKind);
    }

    [Fact]
    public async Task BeforeOnAnEmptyStoreAnswersAnEmptyPage()
    {
        await using var app = await TestServer.StartAsync();

        var page = await app.GetJsonAsync("api/events?before=1000");

        Assert.Empty(Ids(page));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("prev").ValueKind);
    }

    [Theory]
    [InlineData("before=0")]
    [InlineData("before=-5")]
    [InlineData("before=abc")]
    public async Task BeforeMustBeAPositiveId(string query)
    {
        await using var app = await TestServer.StartAsync();

        using var response = await app.Http.GetAsync($"api/events?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task HealthNamesTheNodeItRunsOn()
    {
        await using var app = await TestServer.StartAsync();

        var health = await app.GetJsonAsync("api/health");

        Assert.Equal(Environment.MachineName, health.GetProperty("node").GetString());
    }

    private static long[] Ids(JsonElement page) => [.. page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetInt64())];
}
