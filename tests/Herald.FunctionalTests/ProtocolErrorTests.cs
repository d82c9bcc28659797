using System.Net.WebSockets;
using Herald.Server;
using Herald.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
    [InlineData("{\"type\":\"subscribe\",\"topics\":[\"a\"],\"since\":1e400,\"ref\":\"r\"}", "since")]
    [InlineData("{\"type\":\"subscribe\",\"topics\":[\"a\"],\"since\":9223372036854775808,\"ref\":\"r\"}", "since")]
    [InlineData("{\"type\":\"subscribe\",\"topics\":[\"a\"],\"since\":1.5,\"ref\":\"r\"}", "since")]
    [InlineData("{\"type\":\"subscribe\",\"topics\":[\"a\"],\"since\":\"5\",\"ref\":\"r\"}", "since")]
    [InlineData("{\"type\":\"subscribe\",\"topics\":{\"a\":1},\"ref\":\"r\"}", "array of strings")]
    [InlineData("{\"type\":\"subscribe\",\"topics\":[[\"a\"]],\"ref\":\"r\"}", "array of strings")]
    [InlineData("{\"type\":\"auth\",\"token\":5,\"ref\":\"r\"}", "'token'")]
    [InlineData("{\"type\":\"\\ud800\",\"ref\":\"r\"}", "not text")]
    [InlineData("{\"type\":\"subscribe\",\"topics\":[\"a\\udfff\"],\"ref\":\"r\"}", "not text")]
    [InlineData("{\"type\":\"subscribe\",\"topics\":\"a,\\ud83d\",\"ref\":\"r\"}", "not text")]
    [InlineData("{\"type\":\"auth\",\"token\":\"\\udc00\",\"ref\":\"r\"}", "not text")]
    [InlineData("{\"\\ud800\":1,\"type\":\"ping\"}", "not text")]
    [InlineData("{\"type\":\"ping\",\"ref\":\"r\",\"data\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", "not valid JSON")]
    [InlineData("{\"type\":\"ping\",\"ref\":\"r\"", "not valid JSON")]
    [InlineData("{\"type\":\"ping\",\"ref\":\"r\"}}", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("null", "JSON object")]
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
            if (text.Contains("\"ref\"", StringComparison.Ordinal) && hint != "not valid JSON")
            {
                Assert.Equal("r", error.GetProperty("ref").GetString());
            }

            await socket.SendAsync(new { type = "ping", @ref = "after" });
            Assert.Equal("after", (await socket.ReceiveAsync("pong")).GetProperty("ref").GetString());
            Assert.Equal(1, app.Hub().GetMetrics().InvalidFrames);
        }
    }

    [Theory]
    [InlineData("{\"topic\":\"a\\ud800\",\"type\":\"t\"}")]
    [InlineData("{\"topic\":\"a\",\"type\":\"\\udfff\"}")]
    [InlineData("[{\"topic\":\"a\",\"type\":\"t\",\"source\":\"\\ud83d\"}]")]
    [InlineData("{\"topic\":\"a\",\"type\":\"t\",\"time\":\"\\ud800\"}")]
    public async Task APublishFrameWithALoneSurrogateGetsABadRequestErrorAndTheConnectionStaysOpen(string data)
    {
        await using var app = await TestServer.StartAsync("--Herald:AllowClientPublish=true");
        var (socket, _) = await app.ConnectAsync();
        await using (socket)
        {
            await socket.SendTextAsync("{\"type\":\"publish\",\"ref\":\"p\",\"data\":" + data + "}");

            var error = await socket.ReceiveAsync("error");
            Assert.Equal("bad_request", error.GetProperty("code").GetString());
            Assert.Equal("p", error.GetProperty("ref").GetString());
            await socket.SendAsync(new { type = "publish", @ref = "ok", data = new { topic = "a", type = "t" } });
            Assert.Equal("ok", (await socket.ReceiveAsync("published")).GetProperty("ref").GetString());
        }
    }

    [Fact]
    public async Task InvalidUtf8InATextFrameClosesWith1007WhileOtherConnectionsKeepReceiving()
    {
        await using var app = await TestServer.StartAsync();
        var (bad, _) = await app.ConnectAsync();
        var (other, _) = await app.ConnectAsync("topics=t");
        await using (bad)
        await using (other)
        {
            // RFC 6455 §8.1: a text message that is not UTF-8 fails the connection with 1007.
            byte[] frame = [.. "{\"type\":\"ping\",\"ref\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8];
            await bad.Socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None).WithTimeout();

            Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await bad.WaitForCloseAsync());
            var id = await app.PublishAsync("t");
            Assert.Equal(id, (await other.ReceiveEventAsync()).EventId());
            await Timeouts.Until(() => app.Hub().ConnectionCount == 1, "the connection that sent invalid UTF-8 is removed");
        }
    }

    [Fact]
    public async Task AFaultWhileHandlingAFrameClosesThatConnectionWith1011AndIsLoggedWhileOthersCarryOn()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await LoopbackApp.StartAsync(
            a => HeraldServer.Build(a, b =>
            {
                b.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, FaultingAuthenticationHandler>(FaultingAuthenticationHandler.Name, null);
                b.Logging.AddProvider(logs);
            }),
            "--Logging:LogLevel:Default=Warning", "--Herald:Auth:Required=true", $"--Herald:Auth:Scheme={FaultingAuthenticationHandler.Name}");
        var (faulty, _) = await app.ConnectAsync("topics=t");
        var (other, _) = await app.ConnectAsync("topics=t");
        await using (faulty)
        await using (other)
        {
            await faulty.SendAsync(new { type = "auth", token = "fail" });

            Assert.Equal(WebSocketCloseStatus.InternalServerError, await faulty.WaitForCloseAsync());
            Assert.Equal("internal error", faulty.CloseReason);
            var published = await app.Hub().PublishAsync(NewEvent.Create("t", "after", 1));
            Assert.Equal(published.Id, (await other.ReceiveEventAsync()).EventId());
            Assert.Contains(logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("Handling a frame from connection", StringComparison.Ordinal) && l.Contains("identity provider", StringComparison.Ordinal));
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
