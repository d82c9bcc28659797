using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.FunctionalTests;

/// <summary>
/// Two hubs in one process sharing one event log, one session store and one cluster bus, as nodes of a cluster
/// share theirs: every hub fans out what the log stores, whoever appended it, sessions work across hubs, and so
/// do broadcast messages, closing a connection and listing connections. Run once per backend: the in-process
/// seams, and NATS JetStream.
/// </summary>
public abstract class SharedLogContract : IAsyncLifetime
{
    private LoopbackApp _a = null!;
    private LoopbackApp _b = null!;

    public async Task InitializeAsync()
    {
        _a = await StartNodeAsync("node-a");
        _b = await StartNodeAsync("node-b");
    }

    public virtual async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    /// <summary>Starts a hub named <paramref name="nodeId"/> on the backend every hub of this test shares.</summary>
    protected abstract Task<LoopbackApp> StartNodeAsync(string nodeId);

    [Fact]
    public async Task SubscribersOnEitherHubReceiveEveryEventPublishedOnEitherOnceAndInOrder()
    {
        var (onA, _) = await _a.ConnectAsync("topics=%23");
        var (onB, _) = await _b.ConnectAsync("topics=%23");
        await using (onA)
        await using (onB)
        {
            var published = await Task.WhenAll(
                Task.Run(() => PublishManyAsync(_a, "from/a", 50)),
                Task.Run(() => PublishManyAsync(_b, "from/b", 50)));
            var last = published.SelectMany(ids => ids).Max();

            var seenOnA = (await onA.ReceiveEventsThroughAsync(last)).Select(f => f.EventId()).ToList();
            var seenOnB = (await onB.ReceiveEventsThroughAsync(last)).Select(f => f.EventId()).ToList();

            Assert.Equal(published.SelectMany(ids => ids).Order(), seenOnA);
            Assert.Equal(seenOnA, seenOnB);
        }
    }

    [Fact]
    public async Task ResumeOnOneHubAfterPublishingOnTheOtherIsExact()
    {
        var before = await _a.PublishAsync("t/x", data: new { n = 0 });
        var missed = await PublishManyAsync(_b, "t/x", 5);

        var (resumed, _) = await _a.ConnectAsync($"topics=t/%23&since={before}");
        await using (resumed)
        {
            var replayed = await resumed.ReceiveEventsThroughAsync(missed[^1]);
            var done = await resumed.ReceiveAsync("resumed");
            var live = await _b.PublishAsync("t/x", data: new { n = 6 });

            Assert.Equal(missed, replayed.Select(f => f.EventId()));
            Assert.Equal(missed[^1], done.GetProperty("lastId").GetInt64());
            Assert.True(done.GetProperty("complete").GetBoolean());
            Assert.Equal(live, (await resumed.ReceiveEventAsync()).EventId());
        }
    }

    [Fact]
    public async Task ADirectMessageSentThroughOneHubReachesASessionAttachedToTheOther()
    {
        var (client, _) = await _b.ConnectAsync("session=tablet");
        await using (client)
        {
            using var response = await _a.Http.PostAsJsonAsync("api/sessions/tablet/messages", new { text = "hello from a" });

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal("hello from a", (await client.ReceiveAsync("message")).GetProperty("data").GetProperty("text").GetString());
        }
    }

    [Fact]
    public async Task MessagesQueuedThroughOneHubWhileASessionIsAwayAreDeliveredOnceWhenItResumesOnTheOther()
    {
        var (first, welcome) = await _a.ConnectAsync("session=phone");
        await first.DisposeAsync();
        await Timeouts.Until(() => _a.Hub().ConnectionCount == 0, "hub A sees the disconnect");
        var sessions = _a.Services.GetRequiredService<ISessionStore>();
        await Timeouts.Until(() => sessions.GetAsync("phone", CancellationToken.None).AsTask().Result?.Attachment is null, "the session is away");

        for (var n = 1; n <= 3; n++)
        {
            using var response = await _a.Http.PostAsJsonAsync("api/sessions/phone/messages", new { n });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var (resumed, _) = await _b.ConnectAsync($"session=phone&resume={welcome.GetProperty("resumeToken").GetString()}");
        await using (resumed)
        {
            for (var n = 1; n <= 3; n++)
            {
                Assert.Equal(n, (await resumed.ReceiveAsync("message")).GetProperty("data").GetProperty("n").GetInt32());
            }

            await resumed.SendAsync(new { type = "ping", @ref = "after" });
            var next = await resumed.ReceiveAsync();
            Assert.Equal("pong", next.Type());
        }
    }

    [Fact]
    public async Task ResumingOnTheOtherHubClosesTheOldConnectionWith4002()
    {
        var (old, welcome) = await _a.ConnectAsync("session=desk");
        await using (old)
        {
            var (replacement, _) = await _b.ConnectAsync($"session=desk&resume={welcome.GetProperty("resumeToken").GetString()}");
            await using (replacement)
            {
                Assert.Equal((WebSocketCloseStatus)4002, await old.WaitForCloseAsync());

                using var response = await _a.Http.PostAsJsonAsync("api/sessions/desk/messages", new { to = "replacement" });
                Assert.Equal("replacement", (await replacement.ReceiveAsync("message")).GetProperty("data").GetProperty("to").GetString());
            }
        }
    }

    [Fact]
    public async Task AClientOfANodeTakenForLostIsToldToReconnectAndResumesItsSessionOnTheOther()
    {
        var (old, welcome) = await _a.ConnectAsync("session=laptop");
        await using (old)
        {
            // What hub B does when hub A falls silent: release A's sessions so they can expire.
            var released = await _b.Services.GetRequiredService<ISessionStore>().ReleaseNodeAsync("node-a", DateTimeOffset.UtcNow, CancellationToken.None);

            Assert.Equal(1, released);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await old.WaitForCloseAsync());
        }

        var (resumed, again) = await _b.ConnectAsync($"session=laptop&resume={welcome.GetProperty("resumeToken").GetString()}");
        await using (resumed)
        {
            Assert.Equal("laptop", again.GetProperty("sessionId").GetString());
        }
    }

    [Fact]
    public async Task ASessionInUseOnOneHubCannotBeJoinedWithoutItsTokenOnTheOther()
    {
        var (owner, _) = await _a.ConnectAsync("session=kiosk");
        await using (owner)
        {
            var stranger = await JsonSocket.ConnectAsync(_b.WebSocketUri("ws/events?session=kiosk"));
            await using (stranger)
            {
                Assert.Equal("invalid_resume_token", (await stranger.ReceiveAsync("error")).GetProperty("code").GetString());
                Assert.Equal(WebSocketCloseStatus.PolicyViolation, await stranger.WaitForCloseAsync());
            }
        }
    }

    [Fact]
    public async Task ABroadcastMessageReachesClientsOfEveryHub()
    {
        var (onA, _) = await _a.ConnectAsync();
        var (onB, _) = await _b.ConnectAsync();
        await using (onA)
        await using (onB)
        {
            Assert.Equal(1, _a.Hub().BroadcastMessage(JsonSerializer.SerializeToElement(new { text = "everyone" })));

            Assert.Equal("everyone", (await onA.ReceiveAsync("message")).GetProperty("data").GetProperty("text").GetString());
            Assert.Equal("everyone", (await onB.ReceiveAsync("message")).GetProperty("data").GetProperty("text").GetString());
        }
    }

    [Fact]
    public async Task EveryHubListsAndClosesConnectionsOfEveryHub()
    {
        var (onA, welcomeA) = await _a.ConnectAsync();
        var (onB, welcomeB) = await _b.ConnectAsync();
        await using (onA)
        await using (onB)
        {
            var listed = await _a.GetJsonAsync("api/connections");
            var byId = listed.EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("node").GetString());
            Assert.Equal("node-a", byId[welcomeA.GetProperty("connectionId").GetString()!]);
            Assert.Equal("node-b", byId[welcomeB.GetProperty("connectionId").GetString()!]);

            using var closed = await _a.Http.DeleteAsync($"api/connections/{welcomeB.GetProperty("connectionId").GetString()}");
            Assert.Equal(HttpStatusCode.NoContent, closed.StatusCode);
            Assert.Equal((WebSocketCloseStatus)4003, await onB.WaitForCloseAsync());

            using var missing = await _b.Http.DeleteAsync("api/connections/nobody");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
    }

    [Fact]
    public async Task HealthNamesThisNodeAndEveryNodeItHears()
    {
        // A node that starts says hello, and the others answer it at once; over a network that takes a moment.
        JsonElement hub = default;
        await Timeouts.UntilAsync(
            async () =>
            {
                hub = (await _b.GetJsonAsync("api/health")).GetProperty("components").GetProperty("hub").GetProperty("details");
                return hub.GetProperty("nodes").GetArrayLength() == 2;
            },
            "node-b hears node-a");

        Assert.Equal("node-b", hub.GetProperty("node").GetString());
        Assert.Equal(["node-a", "node-b"], hub.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
    }

    private static async Task<long[]> PublishManyAsync(LoopbackApp app, string topic, int count)
    {
        var ids = new List<long>();
        for (var n = 0; n < count; n++)
        {
            ids.Add(await app.PublishAsync(topic, data: new { n }));
        }

        return [.. ids];
    }
}
