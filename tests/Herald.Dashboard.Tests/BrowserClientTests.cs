using System.Text.Json;
using System.Threading.Channels;
using Herald.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Herald.Dashboard.Tests;

/// <summary>
/// herald.js on a page of its own: <c>Pages/client-test.html</c>, which the test has the server serve at
/// <c>/test/client-test.html</c>, so the page loads <c>/herald.js</c> from the real server, at the same origin.
/// </summary>
public sealed class BrowserClientTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Secret = "browser-client-tests-secret-of-32-bytes";

    [Fact]
    public async Task ClientResumesAcrossAServerRestartWithNothingLostNothingDoubledAndOrderKept()
    {
        await using var server = await StartServerAsync();
        await using var test = await OpenTestPageAsync(server);
        var page = test.Page;
        await server.PublishManyAsync("resume/old", "t", 3);
        // A fixed 3 s back-off leaves time to restart the server and publish before the client comes back.
        await StartClientAsync(page, new { topics = new[] { "resume/#" }, reconnect = new { minDelay = 3000, maxDelay = 3000, jitter = 0 } });

        var expected = new List<long>();
        for (var batch = 0; batch < 4; batch++)
        {
            expected.AddRange(await server.PublishManyAsync("resume/a", "t", 5));
            await server.PublishManyAsync("elsewhere/b", "t", 2);
        }

        await WaitForCountAsync(page, expected.Count);
        await server.StopAsync();
        await page.WaitForFunctionAsync("() => herald.client.state === 'reconnecting' && herald.client.retryAt !== null");
        await server.StartAgainAsync();
        for (var batch = 0; batch < 4; batch++)
        {
            expected.AddRange(await server.PublishManyAsync(batch % 2 == 0 ? "resume/a" : "resume/b/c", "t", 5));
            await server.PublishManyAsync("elsewhere/b", "t", 1);
        }

        Assert.Empty(server.Hub.GetConnections());
        await WaitForCountAsync(page, expected.Count);
        expected.AddRange(await server.PublishManyAsync("resume/a", "t", 10));
        await WaitForCountAsync(page, expected.Count);

        Assert.Equal(expected, await page.EvaluateAsync<long[]>("() => herald.received"));
        var sessions = await page.EvaluateAsync<string[]>("() => herald.welcomes");
        Assert.Equal(2, sessions.Length);
        Assert.Equal(sessions[0], sessions[1]);
        Assert.All((await page.EvaluateAsync<JsonElement>("() => herald.resumed")).EnumerateArray(), r => Assert.True(r.GetProperty("complete").GetBoolean()));
        var disconnects = await page.EvaluateAsync<int[]>("() => herald.disconnects");
        Assert.Equal([1001], disconnects);
        Assert.Equal(expected[^1], await page.EvaluateAsync<long>("() => herald.client.lastId"));
    }

    [Fact]
    public async Task SubscribeAndUnsubscribeChangeWhatArrivesAndAreKeptForTheNextConnection()
    {
        await using var server = await StartServerAsync();
        await using var test = await OpenTestPageAsync(server);
        var page = test.Page;
        await StartClientAsync(page, new { topics = new[] { "a/#" } });

        await page.EvaluateAsync("() => herald.client.subscribe('b/+')");
        var first = await server.PublishAsync(new { topic = "a/1", type = "t" }, new { topic = "b/1", type = "t" }, new { topic = "c/1", type = "t" });
        await WaitForCountAsync(page, 2);
        await page.EvaluateAsync("() => herald.client.unsubscribe('a/#')");
        var second = await server.PublishAsync(new { topic = "a/2", type = "t" }, new { topic = "b/2", type = "t" });
        await WaitForCountAsync(page, 3);

        Assert.Equal([first[0], first[1], second[1]], await page.EvaluateAsync<long[]>("() => herald.received"));
        Assert.Equal(["b/+"], await page.EvaluateAsync<string[]>("() => herald.client.topics"));
        var refused = await page.EvaluateAsync<string>("() => herald.client.subscribe('x/#/y').then(() => 'accepted', e => e.code)");
        Assert.Equal("bad_request", refused);
        Assert.Equal(["b/+"], await page.EvaluateAsync<string[]>("() => herald.client.topics"));
        var lastTopic = await page.EvaluateAsync<string>("() => herald.client.unsubscribe('b/+').then(() => 'removed', e => e.name)");
        Assert.Equal("RangeError", lastTopic);
    }

    [Fact]
    public async Task ClientAnswersPingsSendsItsTokenAndRefreshesItInBand()
    {
        await using var server = await StartServerAsync();
        await using var test = await OpenTestPageAsync(server);
        var page = test.Page;
        var fake = await FakeServer.RouteAsync(page);
        fake.OnConnect = socket => socket.Send("""{"type":"welcome","connectionId":"c1","sessionId":"s1","resumeToken":"r1","heartbeat":30}""");

        await StartClientAsync(page, new { topics = new[] { "cameras/+", "unifi/#" }, since = 41, tokenPrefix = "token" });

        var url = new Uri(await fake.NextUrlAsync());
        Assert.Equal("/ws/events", url.AbsolutePath);
        Assert.Equal("?topics=cameras%2F%2B,unifi%2F%23&since=41&access_token=token-1", url.Query);
        fake.Send("""{"type":"ping","timestamp":"2026-01-25T03:55:00.000Z"}""");
        Assert.Equal("""{"type":"pong"}""", await fake.NextFrameAsync());
        fake.Send("""{"type":"refresh","expiresAt":"2026-01-25T04:00:00Z"}""");
        Assert.Equal("""{"type":"auth","token":"token-2"}""", await fake.NextFrameAsync());
        fake.Send("""{"type":"event","data":{"id":42,"topic":"cameras/front","type":"motion","time":"2026-01-25T03:54:30.123Z","data":{}}}""");
        fake.Send("""{"type":"event","data":{"id":42,"topic":"cameras/front","type":"motion","time":"2026-01-25T03:54:30.123Z","data":{}}}""");
        fake.Send("""{"type":"event","data":{"id":43,"topic":"unifi/x","type":"sta:sync","time":"2026-01-25T03:54:31.000Z","data":{}}}""");
        await WaitForCountAsync(page, 2);

        var received = await page.EvaluateAsync<long[]>("() => herald.received");
        Assert.Equal([42L, 43L], received);
        Assert.Equal(["token-1", "token-2"], await page.EvaluateAsync<string[]>("() => herald.tokens"));
        Assert.Equal(["connect", "refresh"], await page.EvaluateAsync<string[]>("() => herald.tokenRequests.map(r => r.reason)"));
        Assert.Equal(["none", "2026-01-25T04:00:00Z"], await page.EvaluateAsync<string[]>("() => herald.tokenRequests.map(r => r.expiresAt ?? 'none')"));
    }

    [Fact]
    public async Task ClientAnswersTheRealServersRefreshWithAFreshTokenWithoutReconnecting()
    {
        // The first token lasts less than the refresh lead (30 s), so the server asks at its next tick; the fresh
        // token grants less, which shows the server took it: it drops the subscription no longer covered.
        SecretScanner.Register(Secret);
        await using var server = await StartServerAsync($"--Herald:Auth:Jwt:Secret={Secret}", "--Herald:Auth:Jwt:ClockSkew=00:00:00");
        server.Http.DefaultRequestHeaders.Authorization = new("Bearer", Token("publisher", publish: ["#"]));
        await using var test = await OpenTestPageAsync(server);
        var page = test.Page;
        var first = Token("reader", subscribe: ["a/#", "b/#"], lifetime: TimeSpan.FromSeconds(20));
        var fresh = Token("reader", subscribe: ["a/#"]);

        await StartClientAsync(page, new { topics = new[] { "a/#", "b/#" }, tokens = new { connect = first, refresh = fresh } });
        await page.WaitForFunctionAsync("() => herald.tokenRequests.some(r => r.reason === 'refresh')");
        await Timeouts.Until(() => server.Hub.GetConnections() is [{ Subscriptions: ["a/#"] }], "the server takes the fresh token's grants");
        var ids = await server.PublishAsync(new { topic = "a/1", type = "t" }, new { topic = "b/1", type = "t" }, new { topic = "a/2", type = "t" });
        await WaitForCountAsync(page, 2);

        Assert.Equal([ids[0], ids[2]], await page.EvaluateAsync<long[]>("() => herald.received"));
        var refresh = await page.EvaluateAsync<JsonElement>("() => herald.tokenRequests.find(r => r.reason === 'refresh')");
        Assert.InRange(refresh.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(21));
        Assert.Single(await page.EvaluateAsync<string[]>("() => herald.welcomes"));
        Assert.Empty(await page.EvaluateAsync<int[]>("() => herald.disconnects"));
        Assert.Empty(await page.EvaluateAsync<string[]>("() => herald.errors"));
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task ReconnectDelaysGrowByTheFactorUpToTheMaximumAndJitterSpreadsThemBelowEachStep()
    {
        await using var server = await StartServerAsync();
        await using var test = await OpenTestPageAsync(server);
        var page = test.Page;

        var plain = await page.EvaluateAsync<double[]>("() => window.reconnectDelays({ minDelay: 100, maxDelay: 800, factor: 2, jitter: 0 }, 6)");
        var spread = await page.EvaluateAsync<double[]>("() => window.reconnectDelays({ minDelay: 1000, maxDelay: 1000, jitter: 0.5 }, 60)");
        var defaults = await page.EvaluateAsync<double[]>("() => window.reconnectDelays(undefined, 8)");

        Assert.Equal([100, 200, 400, 800, 800, 800], plain);
        Assert.All(spread, d => Assert.InRange(d, 500, 1000));
        Assert.True(spread.Max() - spread.Min() > 250, $"jitter of 0.5 spreads delays over [500, 1000] ms; they were {string.Join(", ", spread)}");
        Assert.True(spread.Distinct().Count() > 30, "sixty jittered delays are mostly different");
        // The defaults: 1 s doubling up to 30 s, each delay taken down by up to half at random.
        double[] steps = [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000];
        Assert.All(defaults.Zip(steps), p => Assert.InRange(p.First, p.Second / 2, p.Second));
        Assert.Empty(test.Problems);
    }

    [Fact]
    public async Task ClientReportsAnIncompleteResumeDropsASilentServerAndReconnectsAsTheCloseCodeSays()
    {
        await using var server = await StartServerAsync();
        await using var test = await OpenTestPageAsync(server);
        var page = test.Page;
        var fake = await FakeServer.RouteAsync(page);
        var connection = 0;
        fake.OnConnect = socket =>
        {
            switch (++connection)
            {
                case 1:
                    // A heartbeat of 0.3 s: after three silent heartbeats (0.9 s) the client must give this connection up.
                    socket.Send("""{"type":"welcome","connectionId":"c1","sessionId":"s1","resumeToken":"r1","heartbeat":0.3}""");
                    socket.Send("""{"type":"resumed","since":5,"lastId":9,"complete":false}""");
                    break;
                case 2:
                    _ = socket.CloseAsync(new() { Code = 1008, Reason = "invalid resume token" });
                    break;
                case 3:
                    socket.Send("""{"type":"welcome","connectionId":"c3","sessionId":"s3","resumeToken":"r3","heartbeat":30}""");
                    _ = socket.CloseAsync(new() { Code = 4002, Reason = "session resumed on another connection" });
                    break;
            }
        };

        await StartClientAsync(page, new { topics = new[] { "t/#" }, since = 5, reconnect = new { minDelay = 50, maxDelay = 50, jitter = 0 } });

        Assert.Equal("?topics=t%2F%23&since=5", new Uri(await fake.NextUrlAsync()).Query);
        var incomplete = await page.EvaluateAsync<JsonElement>("() => herald.incomplete");
        Assert.Equal(9, Assert.Single(incomplete.EnumerateArray()).GetProperty("lastId").GetInt64());
        Assert.Equal("?topics=t%2F%23&session=s1&resume=r1&since=9", new Uri(await fake.NextUrlAsync(TimeSpan.FromSeconds(6))).Query);
        Assert.Equal("?topics=t%2F%23&since=9", new Uri(await fake.NextUrlAsync()).Query);
        await page.WaitForFunctionAsync("() => herald.client.state === 'closed'");

        await Task.Delay(300);
        Assert.Equal(3, connection);
        Assert.Equal(["s1", "s3"], await page.EvaluateAsync<string[]>("() => herald.welcomes"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => herald.disconnects[0]"));
    }

    private static async Task StartClientAsync(IPage page, object options)
    {
        try
        {
            Assert.True(await page.EvaluateAsync<bool>("options => window.startClient(options)", options).WithTimeout());
        }
        catch (TimeoutException)
        {
            var states = await page.EvaluateAsync<string[]>("() => herald.states");
            var errors = await page.EvaluateAsync<string[]>("() => herald.errors");
            throw new TimeoutException($"The client did not connect; its states were: {string.Join(", ", states)}; errors: {string.Join(", ", errors)}.");
        }
    }

    private static Task WaitForCountAsync(IPage page, int count)
        => page.WaitForFunctionAsync("n => herald.received.length >= n", count);

    private static Task<HeraldTestServer> StartServerAsync(params string[] args)
        => HeraldTestServer.StartAsync(builder => builder.Services.AddSingleton<IStartupFilter, TestPageStartupFilter>(), args);

    private static string Token(string subject, string[]? subscribe = null, string[]? publish = null, TimeSpan? lifetime = null)
        => HeraldTokens.Create(
            new HeraldTokenRequest { Subject = subject, Subscribe = subscribe ?? [], Publish = publish ?? [], Lifetime = lifetime ?? TimeSpan.FromHours(1) },
            HeraldTokens.FromSecret(Secret));

    private async Task<TestPage> OpenTestPageAsync(HeraldTestServer server)
    {
        var test = await browser.NewPageAsync();
        await test.Page.GotoAsync(new Uri(server.BaseAddress, "test/client-test.html").ToString());
        await test.Page.WaitForFunctionAsync("() => window.ready === true");
        return test;
    }

    /// <summary>Stands in for the server's WebSocket inside the page, to send what a real server does not send yet.</summary>
    private sealed class FakeServer
    {
        private readonly Channel<string> _urls = Channel.CreateUnbounded<string>();
        private readonly Channel<string> _frames = Channel.CreateUnbounded<string>();
        private IWebSocketRoute? _current;

        public Action<IWebSocketRoute> OnConnect { get; set; } = _ => { };

        public static async Task<FakeServer> RouteAsync(IPage page)
        {
            var fake = new FakeServer();
            await page.RouteWebSocketAsync(url => url.Contains("/ws/events", StringComparison.Ordinal), socket =>
            {
                fake._current = socket;
                socket.OnMessage(frame => fake._frames.Writer.TryWrite(frame.Text ?? string.Empty));
                fake._urls.Writer.TryWrite(socket.Url);
                fake.OnConnect(socket);
            });
            return fake;
        }

        public void Send(string frame) => (_current ?? throw new InvalidOperationException("No connection yet.")).Send(frame);

        public async Task<string> NextUrlAsync(TimeSpan? timeout = null) => await _urls.Reader.ReadAsync().AsTask().WithTimeout(timeout);

        public async Task<string> NextFrameAsync() => await _frames.Reader.ReadAsync().AsTask().WithTimeout();
    }
}
