namespace Herald.FunctionalTests;

public sealed class ClientPublishTests
{
    [Fact]
    public async Task ClientPublishIsForbiddenByDefault()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, _) = await app.ConnectAsync();
        await using (socket)
        {
            await socket.SendAsync(new { type = "publish", data = new { topic = "a", type = "t" }, @ref = "p1" });

            var error = await socket.ReceiveAsync("error");
            Assert.Equal("forbidden", error.GetProperty("code").GetString());
            Assert.Equal("p1", error.GetProperty("ref").GetString());
            Assert.Equal(0, app.Hub().GetMetrics().EventsPublished);
        }
    }

    [Fact]
    public async Task AllowedClientPublishIsAcknowledgedWithItsIdAndDelivered()
    {
        await using var app = await TestServer.StartAsync("--Herald:AllowClientPublish=true");
        var (subscriber, _) = await app.ConnectAsync("topics=cp/%2B");
        var (publisher, _) = await app.ConnectAsync("topics=none");
        await using (subscriber)
        await using (publisher)
        {
            await publisher.SendAsync(new { type = "publish", data = new { topic = "cp/one", type = "t", data = new { n = 1 } }, @ref = "p1" });
            var published = await publisher.ReceiveAsync("published");
            Assert.Equal("p1", published.GetProperty("ref").GetString());
            var id = published.GetProperty("id").GetInt64();
            var delivered = await subscriber.ReceiveEventAsync();
            Assert.Equal(id, delivered.EventId());
            Assert.Equal(1, delivered.GetProperty("data").GetProperty("data").GetProperty("n").GetInt32());

            await publisher.SendAsync(new { type = "publish", data = new[] { new { topic = "cp/a", type = "t" }, new { topic = "cp/b", type = "t" } }, @ref = 2 });
            var batch = await publisher.ReceiveAsync("published");
            Assert.Equal(2, batch.GetProperty("ref").GetInt32());
            var ids = batch.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()).ToArray();
            Assert.Equal([id + 1, id + 2], ids);
            Assert.Equal(ids[^1], batch.GetProperty("id").GetInt64());
            Assert.Equal(ids[0], (await subscriber.ReceiveEventAsync()).EventId());
            Assert.Equal(ids[1], (await subscriber.ReceiveEventAsync()).EventId());

            await publisher.SendAsync(new { type = "publish", data = new { topic = "cp/#", type = "t" }, @ref = "bad" });
            var error = await publisher.ReceiveAsync("error");
            Assert.Equal("bad_request", error.GetProperty("code").GetString());
            Assert.Equal("bad", error.GetProperty("ref").GetString());
        }
    }
}
