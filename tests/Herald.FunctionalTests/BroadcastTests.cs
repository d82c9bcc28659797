namespace Herald.FunctionalTests;

public sealed class BroadcastTests
{
    [Fact]
    public async Task HundredSimultaneousClientsAllReceiveARestBroadcastWithTheSameId()
    {
        // A hundred handshakes at once from one address: more than the default per-address budget of plain HTTP connections.
        await using var app = await TestServer.StartAsync("--Herald:MaxHttpConnectionsPerAddress=256");
        var connected = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => app.ConnectAsync("topics=news")));
        var sockets = connected.Select(c => c.Socket).ToArray();
        try
        {
            Assert.Equal(100, app.Hub().ConnectionCount);

            var id = await app.PublishAsync("news", "headline", new { text = "hello" });

            var received = await Task.WhenAll(sockets.Select(s => s.ReceiveEventAsync()));
            Assert.All(received, frame =>
            {
                Assert.Equal(id, frame.EventId());
                Assert.Equal("news", frame.EventTopic());
                Assert.Equal("hello", frame.GetProperty("data").GetProperty("data").GetProperty("text").GetString());
            });
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }
}
