using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server;

namespace Herald.JetStream.Tests;

/// <summary>
/// When every NATS server is gone, a Herald node refuses publishes at once with 503, keeps its clients connected,
/// reads not ready, and when NATS comes back it catches up with nothing lost.
/// </summary>
public sealed class NatsOutageTests : IAsyncLifetime
{
    private NatsServers _nats = null!;
    private LoopbackApp _node = null!;

    public async Task InitializeAsync()
    {
        _nats = await NatsServers.StartAsync();
        _node = await LoopbackApp.StartAsync(args => HeraldServer.Build(args), "--Herald:Store=jetstream", $"--Herald:Nats:Url={_nats.Urls}", "--Herald:HeartbeatInterval=00:00:01", "--Herald:NodeId=node-x", "--Logging:LogLevel:Default=Warning");
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _nats.DisposeAsync();
    }

    [Fact]
    public async Task WithoutNatsPublishesFailFastClientsStayAndEverythingCatchesUpWhenItReturns()
    {
        var before = await PublishAsync("t/a", 1);
        var socket = await JsonSocket.ConnectAsync(_node.WebSocketUri($"ws/events?topics=t/%23&since={before - 1}"));
        await using (socket)
        {
            Assert.Equal(before, (await ReceiveEventAsync(socket)).GetProperty("id").GetInt64());

            var healthy = await _node.Http.GetFromJsonAsync<JsonElement>("api/health");
            Assert.Equal("node-x", healthy.GetProperty("node").GetString());
            Assert.True(healthy.GetProperty("components").GetProperty("nats").GetProperty("details").GetProperty("connected").GetBoolean());
            var metrics = PrometheusText.Parse(await _node.Http.GetStringAsync("metrics"));
            Assert.Equal(1, metrics.Value("herald_nats_connected", ("node", "node-x")));
            Assert.Equal(1, metrics.Value("herald_node_info", ("node", "node-x")));

            _nats.Kill(0);
            await Timeouts.UntilAsync(async () => (await _node.Http.GetAsync("readyz")).StatusCode == HttpStatusCode.ServiceUnavailable, "the node reads not ready");
            using var unhealthy = await _node.Http.GetAsync("api/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
            Assert.Equal(0, PrometheusText.Parse(await _node.Http.GetStringAsync("metrics")).Value("herald_nats_connected", ("node", "node-x")));
            var clock = Stopwatch.StartNew();
            using var refused = await _node.Http.PostAsJsonAsync("api/events", new { topic = "t/a", type = "tick" });
            clock.Stop();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("NATS", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the refusal took {clock.Elapsed}");

            // Heartbeats go on: the client is still connected well past its pings.
            await socket.ReceiveAsync("ping");
            await socket.ReceiveAsync("ping");

            await _nats.RestartAsync(0);
            await Timeouts.UntilAsync(async () => (await _node.Http.GetAsync("readyz")).StatusCode == HttpStatusCode.OK, "the node is ready again", Timeouts.Long);
            var after = await PublishAsync("t/b", 3);

            Assert.Equal(after, (await ReceiveEventAsync(socket)).GetProperty("id").GetInt64());
            Assert.Null(socket.Socket.CloseStatus);
        }
    }

    private async Task<long> PublishAsync(string topic, int n)
    {
        using var response = await _node.Http.PostAsJsonAsync("api/events", new { topic, type = "tick", data = new { n } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ids")[0].GetInt64();
    }

    private static async Task<JsonElement> ReceiveEventAsync(JsonSocket socket)
    {
        while (true)
        {
            var frame = await socket.ReceiveAsync(Timeouts.Long);
            if (frame.GetProperty("type").GetString() == "event")
            {
                return frame.GetProperty("data");
            }
        }
    }
}
