using System.Net.WebSockets;
using Herald.Testing;

namespace Herald.FunctionalTests;

public sealed class ProtocolErrorTests
{
    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1,2,3]", "JSON object")]
    [InlineData("\"ping\"", "JSON object")]
    [InlineData("{\"type\":\"teleport\",\"ref\":\"r\"}", "unknown type")]
    [InlineData("{\"ref\":\"r\"}", "string 'type'")]
    [InlineData("{\"type\":5}", "string 'type'")]
    [InlineData("{\"type\":\"subscribe\",\"ref\":\"r\"}", "non-empty 'topics'")]
    [InlineData("{\"type\":\"subscribe\",\"topics\":[\"a/#/b\"],\"ref\":\"r\"}", "last segment")]
    [InlineData("{\"type\":\"subscribe\",\"topics\":[\"a\"],\"since\":-1}", "since")]
    public async Task BadFramesGetABadRequestErrorAndTheConnectionStaysOpen(string text, string hint)
    {
        await using var app = await TestServer.StartAsync();
        var (socket, _) = await app.ConnectAsync();
        await using (socket)
        {
            await socket.SendTextAsync(text);

            var error = await socket.ReceiveAsync("error");
            Assert.Equal("bad_request", error.GetProperty("code").GetString());
            Assert.Contains(hint, error.GetProperty("message").GetString(), StringComparison.Ordinal);
            if (text.Contains("\"ref\"", StringComparison.Ordinal))
            {
                Assert.Equal("r", error.GetProperty("ref").GetString());
            }

            await socket.SendAsync(new { type = "ping", @ref = "after" });
            Assert.Equal("after", (await socket.ReceiveAsync("pong")).GetProperty("ref").GetString());
            Assert.Equal(1, app.Hub().GetMetrics().InvalidFrames);
        }
    }

    [Fact]
    public async Task BinaryFrameGetsABadRequestError()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, _) = await app.ConnectAsync();
        await using (socket)
        {
            await socket.Socket.SendAsync("{\"type\":\"ping\"}"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None).WithTimeout();

            Assert.Equal("bad_request", (await socket.ReceiveAsync("error")).GetProperty("code").GetString());
            await socket.SendAsync(new { type = "ping" });
            await socket.ReceiveAsync("pong");
        }
    }

    [Fact]
    public async Task OversizedFrameClosesWith1009WhileOtherConnectionsKeepReceiving()
    {
        await using var app = await TestServer.StartAsync("--Herald:MaxMessageSize=1024");
        var (big, _) = await app.ConnectAsync();
        var (other, _) = await app.ConnectAsync("topics=t");
        await using (big)
        await using (other)
        {
            // A message exactly at the limit is fine.
            await big.SendTextAsync("{\"type\":\"ping\",\"ref\":\"" + new string('x', 1024 - 24) + "\"}");
            await big.ReceiveAsync("pong");

            await big.SendTextAsync("{\"type\":\"ping\",\"ref\":\"" + new string('x', 2048) + "\"}");

            Assert.Equal(WebSocketCloseStatus.MessageTooBig, await big.WaitForCloseAsync());
            var id = await app.PublishAsync("t");
            Assert.Equal(id, (await other.ReceiveEventAsync()).EventId());
            await Timeouts.Until(() => app.Hub().ConnectionCount == 1, "the oversized connection is removed");
        }
    }
}
