using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Testing;

namespace Herald.FunctionalTests;

/// <summary>A publish named with an idempotency key is stored once however often it is sent (docs/protocol.md).</summary>
public sealed class IdempotencyTests
{
    [Fact]
    public async Task ARestPublishRetriedWithItsKeyIsAnsweredWithTheSameIdsAndStoredOnce()
    {
        await using var app = await TestServer.StartAsync();

        var first = await PublishAsync(app, "retry-1", new[] { new { topic = "k/a", type = "t" }, new { topic = "k/b", type = "t" } });
        var again = await PublishAsync(app, "retry-1", new[] { new { topic = "k/a", type = "t" }, new { topic = "k/b", type = "t" } });
        var other = await PublishAsync(app, "retry-2", new { topic = "k/a", type = "t" });

        Assert.Equal(first, again);
        Assert.True(other[0] > first[^1]);
        var history = await app.Http.GetFromJsonAsync<JsonElement>("api/events?topic=k/%23");
        Assert.Equal(3, history.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task AKeyThatIsNotPrintableAsciiOrTooLongIsRefusedWith400()
    {
        await using var app = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/events") { Content = JsonContent.Create(new { topic = "k", type = "t" }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('x', 200));

        using var response = await app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AWebSocketPublishRetriedWithItsKeyIsAnsweredWithTheSameIdsAndStoredOnce()
    {
        await using var app = await TestServer.StartAsync("--Herald:AllowClientPublish=true");
        var (publisher, _) = await app.ConnectAsync("topics=none");
        await using (publisher)
        {
            await publisher.SendAsync(new { type = "publish", idempotencyKey = "w-1", data = new { topic = "w/a", type = "t" }, @ref = 1 });
            var first = (await publisher.ReceiveAsync("published")).GetProperty("id").GetInt64();
            await publisher.SendAsync(new { type = "publish", idempotencyKey = "w-1", data = new { topic = "w/a", type = "t" }, @ref = 2 });
            var again = (await publisher.ReceiveAsync("published")).GetProperty("id").GetInt64();
            await publisher.SendAsync(new { type = "publish", idempotencyKey = 7, data = new { topic = "w/a", type = "t" }, @ref = 3 });
            var error = await publisher.ReceiveAsync("error");

            Assert.Equal(first, again);
            Assert.Equal("bad_request", error.GetProperty("code").GetString());
            var history = await app.Http.GetFromJsonAsync<JsonElement>("api/events?topic=w/a");
            Assert.Equal(1, history.GetProperty("events").GetArrayLength());
        }
    }

    private static async Task<long[]> PublishAsync(LoopbackApp app, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/events") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await app.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. answer.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64())];
    }
}
