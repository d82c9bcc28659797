using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Client;

namespace Herald.JetStream.Tests;

/// <summary>
/// Three Herald nodes, each its own <c>herald serve</c> process, on a three-server NATS cluster with every stream
/// replicated three times: one hub, whichever node a client or a producer talks to, through the loss of a node and
/// of a NATS server.
/// </summary>
public sealed class MultiNodeTests : IAsyncLifetime
{
    private const int Nodes = 3;
    private readonly List<ChildServer> _nodes = [];
    private NatsServers _nats = null!;

    public async Task InitializeAsync()
    {
        _nats = await NatsServers.StartAsync(3);
        _nodes.AddRange(await Task.WhenAll(Enumerable.Range(0, Nodes).Select(i => ChildServer.StartAsync(
            "--nats", _nats.Urls,
            "--Herald:Nats:Replicas=3",
            $"--Herald:NodeId=node-{i}",
            "--Herald:HeartbeatInterval=00:00:01",
            "--Logging:LogLevel:Default=Warning"))));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await _nats.DisposeAsync();
    }

    [Fact]
    public async Task SubscribersOnEveryNodeReceiveWhatEveryNodeStoredOnceAndInOneOrder()
    {
        await using var subscribers = await Subscribers.StartAsync(_nodes, perNode: 2);

        var acknowledged = await Task.WhenAll(_nodes.Select((node, i) => PublishAsync(node, $"from/{i}", 150)));
        var all = acknowledged.SelectMany(ids => ids).Order().ToList();

        Assert.Equal(all.Count, all.Distinct().Count());
        foreach (var received in await subscribers.ReceiveThroughAsync(all[^1]))
        {
            Assert.Equal(all, received);
        }
    }

    [Fact]
    public async Task ClientsOfAKilledNodeResumeOnAnotherAndNoAcknowledgedEventIsLostWhenANatsServerDiesToo()
    {
        await using var subscribers = await Subscribers.StartAsync(_nodes, perNode: 2);
        var acknowledged = new ConcurrentBag<long>();
        using var stop = new CancellationTokenSource();

        // Producers on the two nodes that stay, each retrying a publish with its idempotency key until it is stored.
        var producers = new[] { 1, 2 }.Select(i => Task.Run(() => ProduceAsync(_nodes[i], $"steady/{i}", acknowledged, stop.Token))).ToArray();
        await Timeouts.Until(() => acknowledged.Count >= 100, "the producers are under way", Timeouts.Long);

        await _nodes[0].KillAsync();
        _nats.Kill(0);
        var afterLoss = acknowledged.Count;
        await Timeouts.Until(() => acknowledged.Count >= afterLoss + 200, "publishing goes on after the losses", Timeouts.Long);
        await stop.CancelAsync();
        await Task.WhenAll(producers);

        var all = acknowledged.Order().ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        foreach (var received in await subscribers.ReceiveThroughAsync(all[^1], Timeouts.Long))
        {
            // Every client got every acknowledged event once, in id order, including those whose node died.
            Assert.Equal(received.Order().Distinct(), received);
            Assert.Empty(all.Except(received));
        }

        var stored = await HistoryAsync(_nodes[1]);
        Assert.Empty(all.Except(stored));
    }

    private static async Task<List<long>> PublishAsync(ChildServer node, string topic, int count)
    {
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = Timeouts.Default };
        var ids = new List<long>();
        for (var n = 0; n < count; n++)
        {
            using var response = await http.PostAsJsonAsync("api/events", new { topic, type = "tick", data = new { n } });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ids")[0].GetInt64());
        }

        return ids;
    }

    /// <summary>Publishes until stopped; a publish that fails is sent again with the same key until it is acknowledged.</summary>
    private static async Task ProduceAsync(ChildServer node, string topic, ConcurrentBag<long> acknowledged, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var key = $"{topic}/{n}";
            for (var attempt = 0; ; attempt++)
            {
                Assert.True(attempt < 100, $"publish {key} was never stored");
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "api/events") { Content = JsonContent.Create(new { topic, type = "tick", data = new { n } }) };
                    request.Headers.Add("Idempotency-Key", key);
                    // A publish under way finishes even when the producer is told to stop, so its id is counted.
                    using var response = await http.SendAsync(request, CancellationToken.None);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged.Add((await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None)).GetProperty("ids")[0].GetInt64());
                        break;
                    }

                    Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                }

                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    private static async Task<List<long>> HistoryAsync(ChildServer node)
    {
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = Timeouts.Default };
        var ids = new List<long>();
        var after = 0L;
        while (true)
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"api/events?after={after}&limit=1000");
            ids.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                return ids;
            }

            after = page.GetProperty("next").GetInt64();
        }
    }

    /// <summary>Herald clients on every node, each knowing every node, collecting the ids they receive.</summary>
    private sealed class Subscribers : IAsyncDisposable
    {
        private readonly List<(HeraldClient Client, List<long> Ids)> _clients = [];

        public static async Task<Subscribers> StartAsync(IReadOnlyList<ChildServer> nodes, int perNode)
        {
            var subscribers = new Subscribers();
            for (var i = 0; i < nodes.Count; i++)
            {
                for (var k = 0; k < perNode; k++)
                {
                    var options = new HeraldClientOptions
                    {
                        ServerUri = nodes[i].BaseAddress,
                        Since = 0,
                        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
                        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
                        DeadServerTimeout = TimeSpan.FromSeconds(3),
                    };
                    foreach (var other in nodes.Where(n => n != nodes[i]))
                    {
                        options.ServerUris.Add(other.BaseAddress);
                    }

                    var client = new HeraldClient(options);
                    subscribers._clients.Add((client, []));
                    await client.ConnectAsync(new CancellationTokenSource(Timeouts.Default).Token);
                }
            }

            return subscribers;
        }

        /// <summary>What each client received, once each has received an event with an id of at least <paramref name="lastId"/>.</summary>
        public async Task<List<List<long>>> ReceiveThroughAsync(long lastId, TimeSpan? timeout = null)
        {
            using var bound = new CancellationTokenSource(timeout ?? Timeouts.Default);
            await Task.WhenAll(_clients.Select(async c =>
            {
                await foreach (var e in c.Client.ReadEventsAsync(bound.Token))
                {
                    c.Ids.Add(e.Id);
                    if (e.Id >= lastId)
                    {
                        return;
                    }
                }
            }));
            return [.. _clients.Select(c => c.Ids)];
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (client, _) in _clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
