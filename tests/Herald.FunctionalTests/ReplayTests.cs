using System.Collections.Concurrent;
using Herald.Testing;

namespace Herald.FunctionalTests;

public sealed class ReplayTests
{
    [Fact]
    public async Task ConnectingWithSinceReplaysStoredEventsInOrderThenResumed()
    {
        await using var app = await TestServer.StartAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await app.PublishAsync("r/x", "t", i));
            await app.PublishAsync("other");
        }

        var (socket, _) = await app.ConnectAsync("topics=r/%23&since=0");
        await using (socket)
        {
            Assert.Equal("subscribed", (await socket.ReceiveAsync()).Type());
            var replayed = new List<long>();
            for (var i = 0; i < 5; i++)
            {
                var frame = await socket.ReceiveAsync();
                Assert.Equal("event", frame.Type());
                replayed.Add(frame.EventId());
            }

            Assert.Equal(ids, replayed);
            var resumed = await socket.ReceiveAsync();
            Assert.Equal("resumed", resumed.Type());
            Assert.Equal(0, resumed.GetProperty("since").GetInt64());
            Assert.Equal(10, resumed.GetProperty("lastId").GetInt64());
            Assert.True(resumed.GetProperty("complete").GetBoolean());

            // Live delivery follows.
            var live = await app.PublishAsync("r/y");
            Assert.Equal(live, (await socket.ReceiveEventAsync()).EventId());
        }
    }

    [Fact]
    public async Task SinceSkipsEventsTheClientAlreadyHas()
    {
        await using var app = await TestServer.StartAsync();
        var ids = await app.PublishAsync(Enumerable.Range(0, 5).Select(_ => new { topic = "s", type = "t" }).ToArray());

        var (socket, _) = await app.ConnectAsync($"topics=s&since={ids[2]}");
        await using (socket)
        {
            Assert.Equal(ids[3], (await socket.ReceiveEventAsync()).EventId());
            Assert.Equal(ids[4], (await socket.ReceiveEventAsync()).EventId());
            var resumed = await socket.ReceiveAsync("resumed");
            Assert.Equal(ids[2], resumed.GetProperty("since").GetInt64());
            Assert.True(resumed.GetProperty("complete").GetBoolean());
        }
    }

    [Fact]
    public async Task SubscribeWithSinceOnALiveConnectionReplaysThenResumes()
    {
        await using var app = await TestServer.StartAsync();
        var (socket, _) = await app.ConnectAsync("topics=live");
        await using (socket)
        {
            var stored = await app.PublishAsync(new[] { new { topic = "old/a", type = "t" }, new { topic = "old/b", type = "t" } });

            await socket.SendAsync(new { type = "subscribe", topics = new[] { "old/+" }, since = 0, @ref = "r1" });

            Assert.Equal("r1", (await socket.ReceiveAsync("subscribed")).GetProperty("ref").GetString());
            Assert.Equal(stored[0], (await socket.ReceiveAsync()).EventId());
            Assert.Equal(stored[1], (await socket.ReceiveAsync()).EventId());
            var resumed = await socket.ReceiveAsync();
            Assert.Equal("resumed", resumed.Type());
            Assert.Equal("r1", resumed.GetProperty("ref").GetString());
            Assert.True(resumed.GetProperty("complete").GetBoolean());

            var live = await app.PublishAsync("old/c");
            Assert.Equal(live, (await socket.ReceiveEventAsync()).EventId());
        }
    }

    [Fact]
    public async Task ReplayRacingLivePublishesHasNoGapAndNoDuplicate()
    {
        await using var app = await TestServer.StartAsync();
        var hub = app.Hub();
        var published = new ConcurrentQueue<(long Id, string Topic)>();
        using var stop = new CancellationTokenSource();
        string[] topics = ["race/a", "race/b"];

        // Some history first, then a publisher that keeps going while the clients connect and replay.
        foreach (var e in await hub.PublishAsync([.. Enumerable.Range(0, 2000).Select(i => NewEvent.Create(topics[i % 2], "t", i))]).AsTask().WithTimeout())
        {
            published.Enqueue((e.Id, e.Topic));
        }

        var publisher = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var batch = await hub.PublishAsync([.. Enumerable.Range(0, 5).Select(_ => NewEvent.Create(topics[n++ % 2], "t", n))]);
                foreach (var e in batch)
                {
                    published.Enqueue((e.Id, e.Topic));
                }

                // Pacing only, so the 2-core machine can also run the clients; nothing waits on it.
                await Task.Delay(1);
            }
        });

        var patterns = Enumerable.Range(0, 20).Select(i => (i % 3) switch { 0 => "race/a", 1 => "race/b", _ => "race/%23" }).ToArray();
        var clients = await Task.WhenAll(patterns.Select(p => app.ConnectAsync($"topics={p}&since=0")));
        var sockets = clients.Select(c => c.Socket).ToArray();
        try
        {
            // Every client finishes its replay while publishing goes on.
            var replayed = await Task.WhenAll(sockets.Select(EventIdsUntilResumedAsync)).WithTimeout(Timeouts.Long);
            await Task.Delay(100);
            await stop.CancelAsync();
            await publisher.WithTimeout();

            var all = published.OrderBy(p => p.Id).ToList();
            Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(p => p.Id));
            for (var i = 0; i < sockets.Length; i++)
            {
                var filter = TopicFilter.Parse(Uri.UnescapeDataString(patterns[i]));
                var expected = all.Where(p => filter.Matches(p.Topic)).Select(p => p.Id).ToList();
                var received = replayed[i];
                if (received.Count == 0 || received[^1] < expected[^1])
                {
                    received.AddRange((await sockets[i].ReceiveEventsThroughAsync(expected[^1], Timeouts.Long)).Select(e => e.EventId()));
                }

                Assert.True(expected.SequenceEqual(received), $"Client {i} ({filter}) received {received.Count} events, expected {expected.Count}; first difference at {FirstDifference(expected, received)}.");
            }
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ReplayIntoATinyQueueHandsOverToLiveWithoutClosingAClientThatKeepsUp()
    {
        // A replay fills the send queue with back-pressure; the switch to live must not meet a full queue.
        await using var app = await TestServer.StartAsync("--Herald:SendQueueCapacity=8");
        var hub = app.Hub();
        await hub.PublishAsync([.. Enumerable.Range(0, 3000).Select(i => NewEvent.Create("tiny/q", "t", i))]);
        using var stop = new CancellationTokenSource();
        var publisher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await hub.PublishAsync(NewEvent.Create("tiny/q", "live", 0));
                await Task.Delay(1);
            }
        });

        var (socket, _) = await app.ConnectAsync("topics=tiny/%23&since=0");
        await using (socket)
        {
            var replayed = await EventIdsUntilResumedAsync(socket);
            var afterResume = await socket.ReceiveEventAsync();
            await stop.CancelAsync();
            await publisher.WithTimeout();

            Assert.Equal(Enumerable.Range(1, replayed.Count).Select(i => (long)i), replayed);
            Assert.Equal(replayed[^1] + 1, afterResume.EventId());
            Assert.Null(socket.Socket.CloseStatus);
            Assert.Equal(0, (await app.MetricsAsync()).GetProperty("slowConsumerCloses").GetInt64());
        }
    }

    /// <summary>The ids of the event frames that arrive before the <c>resumed</c> frame.</summary>
    private static async Task<List<long>> EventIdsUntilResumedAsync(JsonSocket socket)
    {
        var ids = new List<long>();
        while (true)
        {
            var frame = await socket.ReceiveAsync(Timeouts.Long);
            switch (frame.Type())
            {
                case "event":
                    ids.Add(frame.EventId());
                    break;
                case "resumed":
                    Assert.True(frame.GetProperty("complete").GetBoolean());
                    return ids;
            }
        }
    }

    private static string FirstDifference(List<long> expected, List<long> received)
    {
        for (var i = 0; i < Math.Min(expected.Count, received.Count); i++)
        {
            if (expected[i] != received[i])
            {
                return $"index {i}: expected {expected[i]}, got {received[i]}";
            }
        }

        return $"index {Math.Min(expected.Count, received.Count)} (one list is a prefix of the other)";
    }
}
