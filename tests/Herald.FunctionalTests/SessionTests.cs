using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Herald.Server;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Herald.FunctionalTests;

public sealed class SessionTests
{
    [Fact]
    public async Task MessageToAConnectedSessionIsDeliveredLive()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, welcome) = await app.ConnectAsync();
        await using (socket)
        {
            var sessionId = welcome.GetProperty("sessionId").GetString();

            using var response = await app.Http.PostAsJsonAsync($"api/sessions/{sessionId}/messages", new { n = 1 });

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("delivered").GetBoolean());
            Assert.Equal(1, (await socket.ReceiveAsync("message")).GetProperty("data").GetProperty("n").GetInt32());
        }
    }

    [Fact]
    public async Task MessagesForAnAbsentSessionAreQueuedAndDeliveredInOrderOnResume()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, welcome) = await app.ConnectAsync("session=kitchen-tablet");
        Assert.Equal("kitchen-tablet", welcome.GetProperty("sessionId").GetString());
        var token = welcome.GetProperty("resumeToken").GetString();
        await socket.DisposeAsync();
        await Timeouts.Until(() => app.Hub().ConnectionCount == 0, "the server sees the disconnect");

        for (var n = 1; n <= 3; n++)
        {
            using var response = await app.Http.PostAsJsonAsync("api/sessions/kitchen-tablet/messages", new { n });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queued").GetBoolean());
        }

        var (resumed, again) = await app.ConnectAsync($"session=kitchen-tablet&resume={token}");
        await using (resumed)
        {
            Assert.Equal("kitchen-tablet", again.GetProperty("sessionId").GetString());
            Assert.NotEqual(token, again.GetProperty("resumeToken").GetString());
            for (var n = 1; n <= 3; n++)
            {
                var message = await resumed.ReceiveAsync();
                Assert.Equal("message", message.Type());
                Assert.Equal(n, message.GetProperty("data").GetProperty("n").GetInt32());
            }

            Assert.Equal(3, app.Hub().GetMetrics().SessionMessagesQueued);
        }
    }

    [Fact]
    public async Task WrongResumeTokenIsRefusedWithAnErrorAndClose1008()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, _) = await app.ConnectAsync("session=s1");
        await socket.DisposeAsync();

        await AssertRefusedAsync(app, "session=s1&resume=not-the-token");
    }

    [Fact]
    public async Task ClaimedSessionWithoutItsTokenIsRefused()
    {
        await using var app = await TestServer.StartAsync();
        var (owner, _) = await app.ConnectAsync("session=s1");
        await using (owner)
        {
            await AssertRefusedAsync(app, "session=s1");

            // The owner is unaffected.
            await owner.SendAsync(new { type = "ping" });
            await owner.ReceiveAsync("pong");
        }
    }

    [Fact]
    public async Task ClientsRacingForANewSessionIdCannotBothGetIt()
    {
        await using var app = await TestServer.StartAsync();
        for (var round = 0; round < 10; round++)
        {
            var sockets = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => JsonSocket.ConnectAsync(app.WebSocketUri($"ws/events?session=race-{round}"))));
            var firstFrames = await Task.WhenAll(sockets.Select(s => s.ReceiveAsync()));

            Assert.Single(firstFrames, f => f.GetProperty("type").GetString() == "welcome");
            Assert.Equal(3, firstFrames.Count(f => f.GetProperty("type").GetString() == "error" && f.GetProperty("code").GetString() == "invalid_resume_token"));
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ResumingWhileTheOldSocketIsOpenClosesTheOldOneWith4002()
    {
        await using var app = await TestServer.StartAsync();
        var (old, welcome) = await app.ConnectAsync("session=s1");
        await using (old)
        {
            var (replacement, _) = await app.ConnectAsync($"session=s1&resume={welcome.GetProperty("resumeToken").GetString()}");
            await using (replacement)
            {
                Assert.Equal((WebSocketCloseStatus)4002, await old.WaitForCloseAsync());
                await Timeouts.Until(() => app.Hub().ConnectionCount == 1, "the old connection is removed");

                Assert.Equal(SessionMessageOutcome.Delivered, await app.Hub().SendToSessionAsync("s1", JsonSerializer.SerializeToElement("to-new")));
                Assert.Equal("to-new", (await replacement.ReceiveAsync("message")).GetProperty("data").GetString());
            }
        }
    }

    [Fact]
    public async Task ReceiveAsyncGetsAClientMessageAndReturnsNullOnTimeout()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, welcome) = await app.ConnectAsync();
        await using (socket)
        {
            var sessionId = welcome.GetProperty("sessionId").GetString()!;

            await socket.SendAsync(new { type = "message", data = new { text = "hi" }, @ref = "m1" });

            Assert.Equal("m1", (await socket.ReceiveAsync("ack")).GetProperty("ref").GetString());
            var message = await app.Hub().ReceiveAsync(sessionId, Timeouts.Default).AsTask().WithTimeout();
            Assert.NotNull(message);
            Assert.Equal(sessionId, message.SessionId);
            Assert.Equal("hi", message.GetData<JsonElement>().GetProperty("text").GetString());

            Assert.Null(await app.Hub().ReceiveAsync(sessionId, TimeSpan.FromMilliseconds(200)).AsTask().WithTimeout());
        }
    }

    [Fact]
    public async Task SendToSessionsAndBroadcastMessageReachEveryClient()
    {
        await using var app = await TestServer.StartAsync();
        var (first, w1) = await app.ConnectAsync();
        var (second, w2) = await app.ConnectAsync();
        await using (first)
        await using (second)
        {
            var hub = app.Hub();
            string[] sessions = [w1.GetProperty("sessionId").GetString()!, w2.GetProperty("sessionId").GetString()!];

            await hub.SendToSessionsAsync(sessions, JsonSerializer.SerializeToElement(new { kind = "direct" })).AsTask().WithTimeout();
            Assert.Equal(2, hub.BroadcastMessage(JsonSerializer.SerializeToElement(new { kind = "everyone" })));

            foreach (var socket in new[] { first, second })
            {
                Assert.Equal("direct", (await socket.ReceiveAsync("message")).GetProperty("data").GetProperty("kind").GetString());
                Assert.Equal("everyone", (await socket.ReceiveAsync("message")).GetProperty("data").GetProperty("kind").GetString());
            }
        }
    }

    [Fact]
    public async Task EveryWelcomeCarriesANewTokenAndOnlyTheLastTwoOpenTheSession()
    {
        await using var app = await TestServer.StartAsync();
        var (first, w0) = await app.ConnectAsync("session=rotating");
        await first.DisposeAsync();
        var t0 = w0.GetProperty("resumeToken").GetString();

        var (second, w1) = await app.ConnectAsync($"session=rotating&resume={t0}");
        await second.DisposeAsync();
        var t1 = w1.GetProperty("resumeToken").GetString();
        var (third, w2) = await app.ConnectAsync($"session=rotating&resume={t1}");
        await third.DisposeAsync();

        Assert.NotEqual(t0, t1);
        Assert.NotEqual(t1, w2.GetProperty("resumeToken").GetString());
        await AssertRefusedAsync(app, $"session=rotating&resume={t0}");

        // The token last used still works, for a client that lost the welcome with the newest one.
        var (fourth, _) = await app.ConnectAsync($"session=rotating&resume={t1}");
        await fourth.DisposeAsync();
    }

    [Fact]
    public async Task ASessionPastItsTtlIsGoneAndItsIdStartsOverWithNothingQueued()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await LoopbackApp.StartAsync(
            a => HeraldServer.Build(a, b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock))),
            "--Logging:LogLevel:Default=Warning", "--Herald:SessionTtl=00:01:00", "--Herald:SessionMessageTtl=00:10:00");
        var (owner, welcome) = await app.ConnectAsync("session=fleeting");
        await owner.DisposeAsync();
        await Timeouts.Until(() => app.Hub().ConnectionCount == 0, "the owner's connection is gone");
        using (var queued = await app.Http.PostAsJsonAsync("api/sessions/fleeting/messages", new { secret = "for the owner" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        }

        // Past the TTL: a stranger asking for the id gets a new session with its own token, and none of the owner's messages.
        clock.Advance(TimeSpan.FromMinutes(2));
        var (stranger, again) = await app.ConnectAsync("session=fleeting");
        await using (stranger)
        {
            Assert.NotEqual(welcome.GetProperty("resumeToken").GetString(), again.GetProperty("resumeToken").GetString());
            await stranger.SendAsync(new { type = "ping" });
            Assert.Equal("pong", (await stranger.ReceiveAsync()).Type());
        }
    }

    [Fact]
    public async Task AMessageToASessionThatNeverExistedIsRefusedWith404()
    {
        await using var app = await TestServer.StartAsync();

        using var response = await app.Http.PostAsJsonAsync("api/sessions/nobody-home/messages", new { n = 1 });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task AssertRefusedAsync(LoopbackApp app, string query)
    {
        var refused = await JsonSocket.ConnectAsync(app.WebSocketUri("ws/events?" + query));
        await using (refused)
        {
            var error = await refused.ReceiveAsync();
            Assert.Equal("error", error.Type());
            Assert.Equal("invalid_resume_token", error.GetProperty("code").GetString());
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, await refused.WaitForCloseAsync());
        }
    }
}
