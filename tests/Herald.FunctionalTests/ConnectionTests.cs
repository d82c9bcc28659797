using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Herald.Testing;

namespace Herald.FunctionalTests;

public sealed class ConnectionTests
{
    [Fact]
    public async Task AbortedClientIsRemovedFromTheHub()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, _) = await app.ConnectAsync("topics=a");
        await using (socket)
        {
            Assert.Equal(1, app.Hub().ConnectionCount);

            socket.Socket.Abort();

            await Timeouts.Until(() => app.Hub().ConnectionCount == 0, "the aborted connection is removed");
            Assert.Equal(0, (await app.GetJsonAsync("api/connections")).GetArrayLength());
            // Publishing to its topic afterwards is harmless.
            await app.PublishAsync("a");
        }
    }

    [Fact]
    public async Task DeleteConnectionClosesItWith4003AndAnUnknownIdIs404()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, welcome) = await app.ConnectAsync();
        await using (socket)
        {
            var id = welcome.GetProperty("connectionId").GetString();

            using (var response = await app.Http.DeleteAsync($"api/connections/{id}"))
            {
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            }

            Assert.Equal((WebSocketCloseStatus)4003, await socket.WaitForCloseAsync());
            Assert.Equal("closed by server", socket.CloseReason);
            await Timeouts.Until(() => app.Hub().ConnectionCount == 0, "the closed connection is removed");

            using var missing = await app.Http.DeleteAsync($"api/connections/{id}");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
    }

    [Fact]
    public async Task ConnectionListShowsMetadataAndApplicationItems()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, welcome) = await app.ConnectAsync("topics=a,b/%2B", o => o.SetRequestHeader("User-Agent", "herald-tests/1.0"));
        await using (socket)
        {
            var id = welcome.GetProperty("connectionId").GetString()!;
            var connection = app.Hub().GetConnection(id)!;
            connection.Items["user"] = "alice";
            connection.Items["level"] = 3;

            var list = await app.GetJsonAsync("api/connections");

            var entry = Assert.Single(list.EnumerateArray());
            Assert.Equal(id, entry.GetProperty("id").GetString());
            Assert.Equal(welcome.GetProperty("sessionId").GetString(), entry.GetProperty("sessionId").GetString());
            Assert.Equal(["a", "b/+"], entry.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetString()).Order());
            Assert.Equal("herald-tests/1.0", entry.GetProperty("userAgent").GetString());
            Assert.Equal("127.0.0.1", entry.GetProperty("remoteAddress").GetString());
            Assert.Equal("alice", entry.GetProperty("items").GetProperty("user").GetString());
            Assert.Equal(3, entry.GetProperty("items").GetProperty("level").GetInt32());
            Assert.True(entry.GetProperty("connectedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        }
    }

    [Fact]
    public async Task GracefulShutdownClosesClientsWith1001Promptly()
    {
        await using var app = await TestServer.StartAsync();
        var (first, _) = await app.ConnectAsync();
        var (second, _) = await app.ConnectAsync("topics=a");
        await using (first)
        await using (second)
        {
            var stopwatch = Stopwatch.StartNew();
            await app.StopAsync();
            stopwatch.Stop();

            foreach (var socket in new[] { first, second })
            {
                Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await socket.WaitForCloseAsync());
                Assert.Equal("server shutting down", socket.CloseReason);
            }

            // The host would wait up to its shutdown timeout (30 s) for open sockets; closing them is prompt.
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"Stopping took {stopwatch.Elapsed}.");
        }
    }
}
