using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Herald.Testing;

namespace Herald.FunctionalTests.Security;

/// <summary>
/// Limits on each connection: subscriptions held, pattern depth, and inbound frames per second (a token bucket per
/// connection; a client that keeps on past it is closed with 1008).
/// </summary>
public sealed class WebSocketLimitTests
{
    [Fact]
    public async Task ASubscribePastTheSubscriptionLimitIsAnsweredTooManySubscriptionsAndTheConnectionStaysOpen()
    {
        await using var app = await TestServer.StartAsync("--Herald:MaxSubscriptionsPerConnection=3");
        var (socket, _) = await app.ConnectAsync("topics=a,b");
        await using (socket)
        {
            await socket.SendAsync(new { type = "subscribe", topics = new[] { "c", "a" }, @ref = 1 });
            Assert.Equal(1, (await socket.ReceiveAsync("subscribed")).GetProperty("ref").GetInt32());

            await socket.SendAsync(new { type = "subscribe", topics = new[] { "d" }, @ref = 2 });
            var error = await socket.ReceiveAsync("error");
            Assert.Equal("too_many_subscriptions", error.GetProperty("code").GetString());
            Assert.Equal(2, error.GetProperty("ref").GetInt32());
            Assert.Contains("at most 3", error.GetProperty("message").GetString(), StringComparison.Ordinal);

            // Patterns already held do not count twice, and room made by unsubscribing can be used again.
            await socket.SendAsync(new { type = "subscribe", topics = new[] { "b", "b" }, @ref = 3 });
            Assert.Equal(3, (await socket.ReceiveAsync("subscribed")).GetProperty("ref").GetInt32());
            await socket.SendAsync(new { type = "unsubscribe", topics = new[] { "a" } });
            await socket.ReceiveAsync("unsubscribed");
            await socket.SendAsync(new { type = "subscribe", topics = new[] { "d" }, since = 0, @ref = 4 });
            Assert.Equal(4, (await socket.ReceiveAsync("subscribed")).GetProperty("ref").GetInt32());
            var id = await app.PublishAsync("d");
            Assert.Equal(id, (await socket.ReceiveEventAsync()).EventId());
            Assert.Equal(["b", "c", "d"], app.Hub().GetConnections().Single().Subscriptions.Order());
        }
    }

    [Fact]
    public async Task APatternDeeperThanTheLimitIsAnsweredTopicTooDeepAndTheConnectionStaysOpen()
    {
        await using var app = await TestServer.StartAsync("--Herald:MaxTopicDepth=3");
        var (socket, _) = await app.ConnectAsync("topics=x");
        await using (socket)
        {
            await socket.SendAsync(new { type = "subscribe", topics = new[] { "a/+/c", "a/b/c/#" }, @ref = "deep" });
            var error = await socket.ReceiveAsync("error");
            Assert.Equal("topic_too_deep", error.GetProperty("code").GetString());
            Assert.Equal("deep", error.GetProperty("ref").GetString());
            Assert.Contains("'a/b/c/#' has 4 segments", error.GetProperty("message").GetString(), StringComparison.Ordinal);

            await socket.SendAsync(new { type = "subscribe", topics = new[] { "a/b/#" }, @ref = "ok" });
            Assert.Equal("ok", (await socket.ReceiveAsync("subscribed")).GetProperty("ref").GetString());
            Assert.Equal(["a/b/#", "x"], app.Hub().GetConnections().Single().Subscriptions.Order());
        }
    }

    [Theory]
    [MemberData(nameof(AuthenticationTests.ListenerPaths), MemberType = typeof(AuthenticationTests))]
    public async Task ARequestAskingForTooManyOrTooDeepTopicsIsRefusedWith400OnEveryPath(string path)
    {
        await using var app = await TestServer.StartAsync(path, "--Herald:MaxSubscriptionsPerConnection=2", "--Herald:MaxTopicDepth=2");

        var tooMany = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?topics=a,b,c");
        var tooDeep = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?topics=a/b/c");
        using var sseTooMany = await app.Http.GetAsync("api/stream?topics=a,b,c");
        using var sseTooDeep = await app.Http.GetAsync("api/stream?topics=a/b/%23");
        var fine = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?topics=a/b,a/b,c");

        Assert.Equal(400, tooMany.StatusCode);
        Assert.Contains("at most 2 topic patterns", JsonDocument.Parse(tooMany.Body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, tooDeep.StatusCode);
        Assert.Contains("'a/b/c' has 3 segments", JsonDocument.Parse(tooDeep.Body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, sseTooMany.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, sseTooDeep.StatusCode);
        Assert.Equal(101, fine.StatusCode);
    }

    [Fact]
    public async Task FramesBeyondTheBurstAreRefusedAsRateLimitedUnreadAndTheConnectionStaysOpen()
    {
        await using var app = await TestServer.StartAsync("--Herald:ClientFrameRate=1", "--Herald:ClientFrameBurst=5", "--Herald:AllowClientPublish=true");
        var (socket, _) = await app.ConnectAsync("topics=t");
        await using (socket)
        {
            // Sent at once: the bucket holds 5 and refills one a second, so frames 6 to 10 find it empty.
            for (var i = 0; i < 10; i++)
            {
                await socket.SendAsync(new { type = "publish", @ref = i, data = new { topic = "t", type = "burst" } });
            }

            var answers = new List<JsonElement>();
            while (answers.Count < 10)
            {
                var frame = await socket.ReceiveAsync();
                if (frame.Type() is "published" or "error")
                {
                    answers.Add(frame);
                }
            }

            Assert.Equal([0, 1, 2, 3, 4], answers.Take(5).Select(a => a.GetProperty("ref").GetInt32()));
            Assert.All(answers.Take(5), a => Assert.Equal("published", a.Type()));
            var refused = answers.Where(a => a.Type() == "error").ToList();
            Assert.InRange(refused.Count, 4, 5);
            Assert.All(refused, r => Assert.Equal("rate_limited", r.GetProperty("code").GetString()));
            Assert.Equal(answers.Skip(10 - refused.Count).Select(a => a.GetProperty("ref").GetInt32()), refused.Select(r => r.GetProperty("ref").GetInt32()));

            // Refused frames were not acted on: only the accepted publishes were stored, and the socket is still open.
            var history = await app.GetJsonAsync("api/events?topic=t");
            Assert.Equal(10 - refused.Count, history.GetProperty("events").GetArrayLength());
            var live = await app.PublishAsync("t");
            Assert.Equal(live, (await socket.ReceiveEventsThroughAsync(live))[^1].EventId());
        }
    }

    [Fact]
    public async Task AClientThatKeepsSendingPastTheLimitIsClosedWith1008WhileOthersCarryOn()
    {
        await using var app = await TestServer.StartAsync("--Herald:ClientFrameRate=1", "--Herald:ClientFrameBurst=2", "--Herald:MaxRateLimitedFrames=5");
        var (abuser, _) = await app.ConnectAsync("topics=t");
        var (other, _) = await app.ConnectAsync("topics=t");
        await using (abuser)
        await using (other)
        {
            var frame = Encoding.UTF8.GetBytes("{\"type\":\"ping\"}");
            try
            {
                for (var i = 0; i < 50 && abuser.Socket.State == WebSocketState.Open; i++)
                {
                    await abuser.Socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None).WithTimeout();
                }
            }
            catch (WebSocketException)
            {
                // The server closed it while frames were still going out.
            }

            Assert.Equal(WebSocketCloseStatus.PolicyViolation, await abuser.WaitForCloseAsync());
            Assert.Equal("rate limit exceeded", abuser.CloseReason);
            var id = await app.PublishAsync("t");
            Assert.Equal(id, (await other.ReceiveEventAsync()).EventId());
            await Timeouts.Until(() => app.Hub().ConnectionCount == 1, "the abusive connection is removed");
        }
    }

    [Theory]
    [InlineData(null, 200)]
    [InlineData("--Herald:ClientFrameRate=0", 1000)]
    public async Task TheDefaultBurstOrNoLimitAnswersEveryFrameSentAtOnce(string? setting, int frames)
    {
        await using var app = await TestServer.StartAsync(setting is null ? [] : [setting]);
        var (socket, _) = await app.ConnectAsync();
        await using (socket)
        {
            var ping = Encoding.UTF8.GetBytes("{\"type\":\"ping\"}");
            for (var i = 0; i < frames; i++)
            {
                await socket.Socket.SendAsync(ping, WebSocketMessageType.Text, true, CancellationToken.None).WithTimeout();
            }

            for (var i = 0; i < frames; i++)
            {
                Assert.Equal("pong", (await socket.ReceiveAsync()).Type());
            }
        }
    }
}
