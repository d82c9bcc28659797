using Herald.Testing;

namespace Herald.FunctionalTests;

public sealed class TopicPatternTests
{
    private static readonly string[] Topics = ["a", "a/x", "a/y", "a/x/1", "a/x/2/deep", "b/x", "ab/x"];

    [Fact]
    public async Task QueryPatternsWithEncodedWildcardsDeliverExactlyTheMatchingEvents()
    {
        await using var app = await TestServer.StartAsync();
        var (plus, _) = await app.ConnectAsync("topics=a/%2B");
        var (hash, _) = await app.ConnectAsync("topics=a/%23");
        var (middle, _) = await app.ConnectAsync("topics=%2B/x,b/%23");
        await using (plus)
        await using (hash)
        await using (middle)
        {
            var published = await PublishEachAsync(app);

            Assert.Equal(["a/x", "a/y"], await TopicsThroughAsync(plus, published, "a/+"));
            Assert.Equal(["a", "a/x", "a/y", "a/x/1", "a/x/2/deep"], await TopicsThroughAsync(hash, published, "a/#"));
            Assert.Equal(["a/x", "b/x", "ab/x"], await TopicsThroughAsync(middle, published, "+/x", "b/#"));
        }
    }

    [Fact]
    public async Task SubscribeFramesDeliverMatchingEventsAndUnsubscribeStopsThem()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, _) = await app.ConnectAsync("topics=none");
        await using (socket)
        {
            await socket.SendAsync(new { type = "subscribe", topics = new[] { "a/+", "a/x/#" }, @ref = "s1" });
            var subscribed = await socket.ReceiveAsync("subscribed");
            Assert.Equal("s1", subscribed.GetProperty("ref").GetString());
            Assert.Equal(["a/+", "a/x/#"], subscribed.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));

            var published = await PublishEachAsync(app);
            Assert.Equal(["a/x", "a/y", "a/x/1", "a/x/2/deep"], await TopicsThroughAsync(socket, published, "a/+", "a/x/#"));

            await socket.SendAsync(new { type = "unsubscribe", topics = new[] { "a/+" }, @ref = 7 });
            var unsubscribed = await socket.ReceiveAsync("unsubscribed");
            Assert.Equal(7, unsubscribed.GetProperty("ref").GetInt32());

            published = await PublishEachAsync(app);
            Assert.Equal(["a/x", "a/x/1", "a/x/2/deep"], await TopicsThroughAsync(socket, published, "a/x/#"));
        }
    }

    [Fact]
    public async Task LiteralPlusInTheQueryIsRejectedWith400ExplainingPercentEncoding()
    {
        await using var app = await TestServer.StartAsync();

        // "a/+" in a query string decodes to "a/ ": the server must refuse it, not subscribe to a space.
        var response = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?topics=a/+");

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("%2B", response.Body, StringComparison.Ordinal);
        Assert.Equal(0, app.Hub().ConnectionCount);
    }

    /// <summary>Publishes one event per topic in <see cref="Topics"/>; returns (id, topic) in order.</summary>
    private static async Task<List<(long Id, string Topic)>> PublishEachAsync(LoopbackApp app)
    {
        var ids = await app.PublishAsync(Topics.Select(topic => new { topic, type = "t" }).ToArray());
        return [.. ids.Zip(Topics)];
    }

    /// <summary>
    /// The topics <paramref name="socket"/> receives up to the last published event its patterns match.
    /// Events arrive in id order, so nothing that should not have arrived can be missed by stopping there.
    /// </summary>
    private static async Task<List<string>> TopicsThroughAsync(JsonSocket socket, List<(long Id, string Topic)> published, params string[] patterns)
    {
        var filters = patterns.Select(TopicFilter.Parse).ToArray();
        var last = published.Last(p => filters.Any(f => f.Matches(p.Topic))).Id;
        var events = await socket.ReceiveEventsThroughAsync(last);
        Assert.All(events, e => Assert.True(e.EventId() >= published[0].Id, "An event from an earlier round arrived late."));
        return [.. events.Select(e => e.EventTopic())];
    }
}
