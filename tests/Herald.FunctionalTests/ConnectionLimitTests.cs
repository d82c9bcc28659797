using System.Net;
using System.Net.WebSockets;
using Herald.Testing;

namespace Herald.FunctionalTests;

public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task ConnectionsPastTheLimitAreRefusedWhileHeldOnesKeepReceivingAndCapacityReturns()
    {
        await using var app = await TestServer.StartAsync("--Herald:MaxConnections=3");
        var hub = app.Hub();
        var held = new List<JsonSocket>();
        for (var i = 0; i < 3; i++)
        {
            held.Add((await app.ConnectAsync("topics=limit")).Socket);
        }

        try
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                using var refused = new ClientWebSocket();
                refused.Options.CollectHttpResponseDetails = true;
                await Assert.ThrowsAnyAsync<WebSocketException>(() => refused.ConnectAsync(app.WebSocketUri("ws/events?topics=limit"), CancellationToken.None).WithTimeout());
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.HttpStatusCode);
            }

            var published = await hub.PublishAsync(NewEvent.Create("limit", "t", 1));
            foreach (var socket in held)
            {
                Assert.Equal(published.Id, (await socket.ReceiveEventAsync()).EventId());
            }

            await held[0].DisposeAsync();
            held.RemoveAt(0);
            await Timeouts.Until(() => hub.ConnectionCount == 2, "the closed connection is gone");
            var (again, _) = await app.ConnectAsync("topics=limit");
            held.Add(again);
        }
        finally
        {
            foreach (var socket in held)
            {
                await socket.DisposeAsync();
            }
        }
    }
}
