using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Herald.FunctionalTests.Security;
using Herald.Testing;

namespace Herald.FunctionalTests;

/// <summary><c>GET /metrics</c>: the hub's instruments in the Prometheus text format, read with a strict parser.</summary>
public sealed class PrometheusMetricsTests
{
    [Fact]
    public async Task ScrapesShowConnectionsDeliveriesLatenciesAndResumesMovingAsEventsFlow()
    {
        await using var app = await TestServer.StartAsync();
        var before = await ScrapeAsync(app);

        Assert.Equal("gauge", before["herald_connections"].Type);
        Assert.Equal(0, before.Value("herald_connections", ("transport", "websocket")));
        Assert.Equal(0, before.Value("herald_connections", ("transport", "sse")));
        Assert.Equal("counter", before["herald_events_published_total"].Type);
        Assert.Equal(0, before.Value("herald_events_published_total"));
        Assert.Equal("counter", before["herald_auth_failures_total"].Type);
        Assert.Equal(0, before.Value("herald_auth_failures_total"));
        Assert.Equal(0, before.Value("herald_replays_total", ("outcome", "complete")));
        Assert.Equal(0, before.Value("herald_heartbeat_timeouts_total"));
        Assert.Equal(0, before.Value("herald_send_queue_drops_total"));
        Assert.Equal(0, before.Value("herald_slow_consumer_closes_total"));
        Assert.Equal(0, before.Value("herald_store_append_errors_total"));

        var (live, _) = await app.ConnectAsync("topics=m/%23");
        await using (live)
        {
            using var sse = await app.Http.GetAsync("api/stream?topics=m/%23", HttpCompletionOption.ResponseHeadersRead).WithTimeout();
            using var sseReader = new StreamReader(await sse.Content.ReadAsStreamAsync());
            await Timeouts.Until(() => app.Hub().GetConnections().Count == 2, "both subscribers are registered");

            await app.PublishAsync(new[] { new { topic = "m/a", type = "t" }, new { topic = "m/b", type = "t" } });
            await app.PublishAsync("m/c");
            await live.ReceiveEventsThroughAsync(3);
            await SseReader.ReadRecordsAsync(sseReader, until: r => r.Id == "3");

            // A resume replays the three stored events, then reports a complete range.
            var (resumer, _) = await app.ConnectAsync("topics=m/%23&since=0");
            await using (resumer)
            {
                await resumer.ReceiveEventsThroughAsync(3);
                await resumer.ReceiveAsync("resumed");
                await Timeouts.Until(() => app.Hub().GetMetrics().Replays == 1, "the replay is counted");

                var during = await ScrapeAsync(app);
                Assert.Equal(2, during.Value("herald_connections", ("transport", "websocket")));
                Assert.Equal(1, during.Value("herald_connections", ("transport", "sse")));
                Assert.Equal(2, during.Value("herald_connections_opened_total", ("transport", "websocket")));
                Assert.Equal(1, during.Value("herald_connections_opened_total", ("transport", "sse")));
            }

            await live.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WithTimeout();
            await Timeouts.Until(() => app.Hub().GetConnections().Count == 1, "both WebSockets are gone");
        }

        var after = await ScrapeAsync(app);
        Assert.Equal(3, after.Value("herald_events_published_total") - before.Value("herald_events_published_total"));

        // Three live events to two subscribers, three replayed to the third.
        Assert.Equal(9, after.Value("herald_deliveries_total"));
        Assert.Equal(1, after.Value("herald_replays_total", ("outcome", "complete")));
        Assert.Equal(0, after.Value("herald_replays_total", ("outcome", "incomplete")));
        Assert.Equal(0, after.Value("herald_connections", ("transport", "websocket")));
        Assert.Equal(1, after.Value("herald_connections", ("transport", "sse")));
        Assert.Equal(2, after.Value("herald_connections_closed_total", ("transport", "websocket"), ("reason", "normal"), ("close_code", "1000")));
        Assert.True(after.Value("herald_frames_sent_total") >= 9);

        // Latencies are real histograms in seconds: each live event is timed once, each batch stored once.
        Assert.Equal("histogram", after["herald_delivery_latency_seconds"].Type);
        Assert.Equal(3, after.Value("herald_delivery_latency_seconds_count"));
        Assert.InRange(after.Value("herald_delivery_latency_seconds_sum"), 0, 10);
        Assert.Equal(3, after.Value("herald_delivery_latency_seconds_bucket", ("le", "+Inf")));
        Assert.Equal("histogram", after["herald_store_append_latency_seconds"].Type);
        Assert.InRange(after.Value("herald_store_append_latency_seconds_count"), 1, 2);
    }

    [Fact]
    public async Task EachMessageQueuedForAnAbsentSessionObservesItsMailboxDepth()
    {
        await using var app = await TestServer.StartAsync("--Herald:SessionQueueLimit=2");
        var (socket, _) = await app.ConnectAsync("session=hall-display");
        await socket.DisposeAsync();
        await Timeouts.Until(() => app.Hub().ConnectionCount == 0, "the server sees the disconnect");

        for (var n = 1; n <= 3; n++)
        {
            using var response = await app.Http.PostAsJsonAsync("api/sessions/hall-display/messages", new { n }).WithTimeout();
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // Depths 1 and 2, then 2 again: the limit dropped the oldest message to make room for the third.
        var scrape = await ScrapeAsync(app);
        Assert.Equal("histogram", scrape["herald_session_queue_depth"].Type);
        Assert.Equal(3, scrape.Value("herald_session_queue_depth_count"));
        Assert.Equal(5, scrape.Value("herald_session_queue_depth_sum"));
        Assert.Equal(1, scrape.Value("herald_session_queue_depth_bucket", ("le", "1")));
        Assert.Equal(3, scrape.Value("herald_session_queue_depth_bucket", ("le", "2")));
        Assert.Equal(3, scrape.Value("herald_session_queue_depth_bucket", ("le", "+Inf")));
        Assert.Equal(3, scrape.Value("herald_session_messages_queued_total"));
        Assert.Equal(1, scrape.Value("herald_send_queue_drops_total"));
    }

    [Fact]
    public async Task TheJsonViewKeepsItsShapeBesideTheScrape()
    {
        await using var app = await TestServer.StartAsync();
        await app.PublishAsync("j/a");

        var json = await app.MetricsAsync();

        Assert.Equal(1, json.GetProperty("eventsPublished").GetInt64());
        var bucket = Assert.Single(json.GetProperty("broadcastLatencyBuckets").EnumerateArray());
        Assert.Equal(1, bucket.GetProperty("count").GetInt64());
        Assert.InRange(bucket.GetProperty("upperBoundMs").GetDouble(), json.GetProperty("broadcastLatencyMaxMs").GetDouble(), 10_000);
        Assert.Equal(
            ["connections", "connectionsTotal", "eventsPublished", "eventsDropped", "framesSent", "framesDropped", "slowConsumerCloses", "staleCloses", "invalidFrames", "replays", "sessionMessagesQueued", "broadcastLatencyP50Ms", "broadcastLatencyP99Ms", "broadcastLatencyMaxMs", "broadcastLatencyBuckets"],
            json.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ThePathComesFromConfigurationAndTheEndpointCanBeTurnedOff()
    {
        await using (var moved = await TestServer.StartAsync("--Herald:Metrics:Path=/internal/prometheus"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await moved.Http.GetAsync("metrics")).StatusCode);
            var text = PrometheusText.Parse(await moved.Http.GetStringAsync("internal/prometheus"));
            Assert.Contains("herald_events_published_total", text.Families.Keys);
        }

        await using var off = await TestServer.StartAsync("--Herald:Metrics:Enabled=false");
        Assert.Equal(HttpStatusCode.NotFound, (await off.Http.GetAsync("metrics")).StatusCode);
    }

    [Fact]
    public async Task WithAuthenticationOnTheMetricsStayOpenWhenMetricsRequireAdminIsOff()
    {
        await using var app = await AuthServer.StartAsync("--Herald:Auth:MetricsRequireAdmin=false");
        await app.PublishAsync(new { topic = "cams/a", type = "t" }, AuthServer.PublisherKey);

        var scrape = await ScrapeAsync(app);
        var json = await app.MetricsAsync();
        using var connections = await app.Http.GetAsync("api/connections").WithTimeout();

        Assert.Equal(1, scrape.Value("herald_events_published_total"));
        Assert.Equal(1, json.GetProperty("eventsPublished").GetInt64());
        // Only the metrics opened up: the other admin views still ask who is calling.
        Assert.Equal(HttpStatusCode.Unauthorized, connections.StatusCode);
    }

    private static async Task<PrometheusText> ScrapeAsync(LoopbackApp app)
    {
        using var response = await app.Http.GetAsync("metrics").WithTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }
}
