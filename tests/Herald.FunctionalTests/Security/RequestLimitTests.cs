using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Herald.Testing;

namespace Herald.FunctionalTests.Security;

/// <summary>Hostile request bodies: each is refused with problem details before it costs more than its limit, and nothing is stored.</summary>
public sealed class RequestLimitTests
{
    [Fact]
    public async Task AHugeBatchIsRefusedWith413FromItsDeclaredLengthBeforeAByteOfItIsRead()
    {
        await using var app = await TestServer.StartAsync();
        // A million tiny events, about 27 MiB: declared, but only the first bytes are sent.
        var declared = 1_000_000L * """{"topic":"a","type":"t"},""".Length;

        var answer = await RawHttp.SendAsync(app.BaseAddress, $"POST /api/events HTTP/1.1\r\nHost: {app.BaseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {declared}", "[{\"topic\":\"a\","u8.ToArray());

        Assert.Equal(413, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Header("Content-Type"));
        Assert.Contains("Herald:MaxPublishBodySize", JsonDocument.Parse(answer.Body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, app.Hub().GetMetrics().EventsPublished);
    }

    [Fact]
    public async Task ABodyWithoutALengthIsRefusedWith413AsSoonAsItGrowsPastTheLimit()
    {
        await using var app = await TestServer.StartAsync("--Herald:MaxEventSize=100", "--Herald:MaxPublishBodySize=4096");
        // Chunked: the server counts what arrives. The events are valid, so only the size can refuse them.
        var body = Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Repeat("""{"topic":"a","type":"t"}""", 200)) + "]");
        using var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/events") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, app.Hub().GetMetrics().EventsPublished);
    }

    [Fact]
    public async Task AnEventLargerThanMaxEventSizeIsRefusedWith413AndOneJustUnderItIsStored()
    {
        await using var app = await TestServer.StartAsync("--Herald:MaxEventSize=1000");
        var fits = new string('x', 998);

        using var large = await app.Http.PostAsJsonAsync("api/events", new { topic = "big", type = "t", data = fits + "x" });
        var stored = await app.PublishAsync(new { topic = "big", type = "t", data = fits });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Contains("'data' is 1001 bytes; the most is 1000 (Herald:MaxEventSize)", await large.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(stored);
        Assert.Equal(1, app.Hub().GetMetrics().EventsPublished);
    }

    [Theory]
    [InlineData("type")]
    [InlineData("source")]
    public async Task AMegabyteTypeOrSourceIsRefusedWith400(string field)
    {
        await using var app = await TestServer.StartAsync();
        var fields = new Dictionary<string, string> { ["topic"] = "a", ["type"] = "t", [field] = new string('s', 1024 * 1024) };

        using var response = await app.Http.PostAsJsonAsync("api/events", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"'{field}' is 1048576 characters", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"topic":"a","type":"\ud800"}""")]
    [InlineData("""{"topic":"a","type":"t","source":"\udc00"}""")]
    [InlineData("""[{"topic":"a","type":"t"},{"topic":"a\ud800","type":"t"}]""")]
    [InlineData("""{"topic":"a","type":"t","data":"\ud800"}""")]
    public async Task ALoneSurrogateEscapeIsRefusedWith400ProblemDetailsNot500(string body)
    {
        await using var app = await TestServer.StartAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await app.Http.PostAsync("api/events", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not valid Unicode", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, app.Hub().GetMetrics().EventsPublished);
    }

    [Theory]
    [InlineData("api/events")]
    [InlineData("api/sessions/s/messages")]
    public async Task InvalidUtf8IsRefusedWith400ProblemDetails(string path)
    {
        await using var app = await TestServer.StartAsync();
        using var content = new ByteArrayContent([.. "{\"topic\":\"a\",\"type\":\""u8, 0xFF, 0xFE, .. "\"}"u8]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await app.Http.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ADirectMessageLargerThanMaxEventSizeIsRefusedWith413()
    {
        await using var app = await TestServer.StartAsync("--Herald:MaxEventSize=1000");
        var (socket, _) = await app.ConnectAsync("session=s");
        await using (socket)
        {
            using var large = await app.Http.PostAsJsonAsync("api/sessions/s/messages", new { text = new string('x', 1000) });
            using var small = await app.Http.PostAsJsonAsync("api/sessions/s/messages", new { text = "hi" });

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
            Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        }
    }

    [Fact]
    public async Task AHistoryPageOfLargeEventsStopsAtMaxHistoryResponseSizeAndTheNextPagesCarryOn()
    {
        await using var app = await TestServer.StartAsync("--Herald:MaxHistoryResponseSize=10000");
        var data = new string('x', 3000);
        var ids = await app.PublishAsync(Enumerable.Range(0, 7).Select(_ => new { topic = "large", type = "t", data }).ToArray());

        var forward = await ReadAllAsync(app, "after", "next", 0, (page, ids) => ids.AddRange(page));
        var backward = await ReadAllAsync(app, "before", "prev", ids[^1] + 1, (page, ids) => ids.InsertRange(0, page));

        Assert.Equal(ids, forward.Ids);
        Assert.Equal(ids, backward.Ids);
        Assert.All(forward.PageSizes.Concat(backward.PageSizes), size => Assert.InRange(size, 1, 3));
    }

    [Fact]
    public async Task AHistoryLimitAboveMaxHistoryPageSizeIsRefused()
    {
        await using var app = await TestServer.StartAsync("--Herald:MaxHistoryPageSize=10");

        using var refused = await app.Http.GetAsync("api/events?limit=11");
        using var allowed = await app.Http.GetAsync("api/events?limit=10");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("1-10", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task PagingFromTheLargestIdsReadsNothingPastTheStoreAndEverythingBelowIt()
    {
        await using var app = await TestServer.StartAsync();
        var ids = await app.PublishAsync(Enumerable.Range(0, 3).Select(_ => new { topic = "edge", type = "t" }).ToArray());

        var after = await app.GetJsonAsync($"api/events?after={long.MaxValue}");
        var before = await app.GetJsonAsync($"api/events?before={long.MaxValue}");
        using var beyond = await app.Http.GetAsync("api/events?after=9223372036854775808");

        Assert.Equal(0, after.GetProperty("events").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("next").ValueKind);
        Assert.Equal(ids, before.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
    }

    private static async Task<(List<long> Ids, List<int> PageSizes)> ReadAllAsync(LoopbackApp app, string from, string cursorName, long start, Action<IEnumerable<long>, List<long>> add)
    {
        var ids = new List<long>();
        var sizes = new List<int>();
        long? cursor = start;
        while (cursor is { } c && sizes.Count < 20)
        {
            var page = await app.GetJsonAsync($"api/events?topic=large&{from}={c}&limit=100");
            var events = page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
            sizes.Add(events.Count);
            add(events, ids);
            cursor = page.GetProperty(cursorName).ValueKind == JsonValueKind.Null ? null : page.GetProperty(cursorName).GetInt64();
        }

        return (ids, sizes);
    }
}
