using System.Net.WebSockets;
using Herald.Testing;

namespace Herald.FunctionalTests;

public sealed class HeartbeatTests
{
    [Fact]
    public async Task PingsArriveAtTheConfiguredInterval()
    {
        await using var app = await TestServer.StartAsync("--Herald:HeartbeatInterval=00:00:00.200");
        var (socket, _) = await app.ConnectAsync();
        await using (socket)
        {
            var started = DateTime.UtcNow;
            var pings = new List<DateTime>();
            for (var i = 0; i < 3; i++)
            {
                var ping = await socket.ReceiveAsync("ping", TimeSpan.FromSeconds(2));
                pings.Add(ping.GetProperty("timestamp").GetDateTime());
            }

            Assert.True(pings.SequenceEqual(pings.Order()) && pings.Distinct().Count() == 3, "Ping timestamps must increase.");
            // Three pings at 200 ms take about 600 ms; the default interval (30 s) would take minutes.
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3), "Pings did not follow the configured interval.");
        }
    }

    [Fact]
    public async Task HeartbeatsAreSpreadOverTheIntervalYetReachEveryConnectionOncePerInterval()
    {
        // 2 s interval: two ticks of 1 s, each pinging about half of the connections.
        await using var app = await TestServer.StartAsync("--Herald:HeartbeatInterval=00:00:02");
        var sockets = new List<JsonSocket>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                sockets.Add((await app.ConnectAsync()).Socket);
            }

            var pings = await Task.WhenAll(sockets.Select(async s =>
            {
                var first = (await s.ReceiveAsync("ping", TimeSpan.FromSeconds(5))).GetProperty("timestamp").GetDateTimeOffset();
                var second = (await s.ReceiveAsync("ping", TimeSpan.FromSeconds(5))).GetProperty("timestamp").GetDateTimeOffset();
                return (First: first, Gap: second - first);
            }));

            // Once per 2 s interval: not on every 1 s tick, nor every other interval. The margins leave room
            // for a tick delayed on a busy machine.
            Assert.All(pings, p => Assert.InRange(p.Gap, TimeSpan.FromSeconds(1.25), TimeSpan.FromSeconds(3.25)));
            Assert.True(pings.Select(p => p.First).Distinct().Count() >= 2, "Every connection was pinged on the same tick.");
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ClientPingIsAnsweredWithAPongEchoingItsRef()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, _) = await app.ConnectAsync();
        await using (socket)
        {
            await socket.SendAsync(new { type = "ping", @ref = "p-1" });
            var pong = await socket.ReceiveAsync("pong");
            Assert.Equal("p-1", pong.GetProperty("ref").GetString());
            Assert.True(pong.TryGetProperty("timestamp", out _));

            await socket.SendAsync(new { type = "ping", @ref = 42 });
            Assert.Equal(42, (await socket.ReceiveAsync("pong")).GetProperty("ref").GetInt32());

            await socket.SendAsync(new { type = "ping" });
            Assert.False((await socket.ReceiveAsync("pong")).TryGetProperty("ref", out _));
        }
    }

    [Fact]
    public async Task SilentClientIsClosedWith4001AndRemoved()
    {
        await using var app = await TestServer.StartAsync("--Herald:HeartbeatInterval=00:00:00.200", "--Herald:ClientTimeout=00:00:01");
        // The test client never answers pings, so after ClientTimeout the server counts it as stale.
        var (socket, _) = await app.ConnectAsync();
        await using (socket)
        {
            Assert.Equal((WebSocketCloseStatus)4001, await socket.WaitForCloseAsync());
            Assert.Equal("heartbeat timeout", socket.CloseReason);

            await Timeouts.Until(() => app.Hub().ConnectionCount == 0, "the stale connection is removed");
            Assert.True((await app.MetricsAsync()).GetProperty("staleCloses").GetInt64() >= 1);
        }
    }

    [Fact]
    public async Task ClientThatKeepsTalkingIsNotClosedAsStale()
    {
        await using var app = await TestServer.StartAsync("--Herald:HeartbeatInterval=00:00:00.200", "--Herald:ClientTimeout=00:00:01");
        var (socket, _) = await app.ConnectAsync();
        await using (socket)
        {
            // Answer pings for twice the client timeout.
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            while (DateTime.UtcNow < until)
            {
                await socket.ReceiveAsync("ping", TimeSpan.FromSeconds(2));
                await socket.SendAsync(new { type = "pong" });
            }

            Assert.False(socket.Closed.IsCompleted);
            Assert.Equal(1, app.Hub().ConnectionCount);
            Assert.Equal(0, app.Hub().GetMetrics().StaleCloses);
        }
    }
}
