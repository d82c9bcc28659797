using System.Net.WebSockets;
using Herald.Sqlite;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.FunctionalTests.Durability;

public sealed class ReplayTests
{
    [Fact]
    public async Task HundredThousandEventReplayArrivesInOrderWhileTheServerReadsOnlyWhatTheClientTakes()
    {
        const int Total = 100_000;
        using var directory = new TempDirectory();
        var store = new CountingEventStore(new SqliteEventStore(new SqliteStoreOptions { Path = directory.DatabasePath, Synchronous = SqliteSynchronous.Normal }));
        await store.InitializeAsync(CancellationToken.None);
        var payload = new string('x', 1000);
        for (var batch = 0; batch < Total / 1000; batch++)
        {
            var events = Enumerable.Range(0, 1000).Select(i => NewEvent.Create("replay/big", "bulk", new { payload })).ToArray();
            await store.AppendAsync(events, CancellationToken.None);
        }

        await using var app = await LoopbackApp.StartAsync(
            a => Herald.Server.HeraldServer.Build(a, b => b.Services.AddSingleton<IEventStore>(store)));

        // A client that does not read: the server may fill its queue and the socket buffers, then must stop reading the store.
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(app.WebSocketUri("ws/events?topics=replay/%23&since=0"), CancellationToken.None).WithTimeout();
        long stalledAt = -1;
        await Timeouts.Until(
            () =>
            {
                var now = store.EventsRead;
                var stable = now == stalledAt;
                stalledAt = now;
                return stable && now > 0;
            },
            "the replay stops reading while the client stalls",
            Timeouts.Long);
        Assert.True(store.EventsRead < Total / 4, $"The server read {store.EventsRead} of {Total} events for a client that took none.");

        long expected = 1;
        var resumed = false;
        await EventReader.ReadAsync(
            socket,
            (type, id, frame) =>
            {
                if (type == "event")
                {
                    Assert.Equal(expected++, id);
                }

                resumed = type == "resumed";
                return !resumed;
            },
            Timeouts.Long);

        Assert.True(resumed);
        Assert.Equal(Total + 1, expected);
    }

    [Fact]
    public async Task ResumeAfterRetentionDroppedPartOfTheRangeSaysIncomplete()
    {
        using var directory = new TempDirectory();
        var store = new SqliteEventStore(new SqliteStoreOptions { Path = directory.DatabasePath, MaxEvents = 10 });
        await using var app = await LoopbackApp.StartAsync(a => Herald.Server.HeraldServer.Build(a, b => b.Services.AddSingleton<IEventStore>(store)));
        var hub = app.Services.GetHub();
        await hub.PublishAsync([.. Enumerable.Range(0, 50).Select(i => NewEvent.Create("kept/few", "n", i))]);
        await store.EnforceRetentionAsync(CancellationToken.None);

        var (late, _) = await JsonSocket.ConnectWelcomedAsync(app.WebSocketUri("ws/events?topics=kept/%23&since=5"));
        await using (late)
        {
            var first = await late.ReceiveAsync("event");
            var resumed = await late.ReceiveAsync("resumed");
            Assert.Equal(41, first.GetProperty("data").GetProperty("id").GetInt64());
            Assert.False(resumed.GetProperty("complete").GetBoolean());
            Assert.Equal(50, resumed.GetProperty("lastId").GetInt64());
        }

        var (recent, _) = await JsonSocket.ConnectWelcomedAsync(app.WebSocketUri("ws/events?topics=kept/%23&since=45"));
        await using (recent)
        {
            var resumed = await recent.ReceiveAsync("resumed");
            Assert.True(resumed.GetProperty("complete").GetBoolean());
        }
    }

    [Fact]
    public async Task SubscriberReconnectingFiftyTimesDuringSteadyPublishingGetsEveryEventOnceInOrder()
    {
        using var directory = new TempDirectory();
        await using var app = await DurableServer.StartAsync(directory);
        var hub = app.Services.GetHub();
        using var stop = new CancellationTokenSource();
        var published = 0L;
        var publisher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await hub.PublishAsync(NewEvent.Create("steady/rate", "tick", published));
                Interlocked.Increment(ref published);
                await Task.Delay(2);
            }
        });

        var received = new List<long>();
        long last = 0;
        for (var round = 0; round < 50; round++)
        {
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(app.WebSocketUri($"ws/events?topics=steady/%23&since={last}"), CancellationToken.None).WithTimeout();
            var take = 3 + (round % 7);
            await EventReader.ReadAsync(
                socket,
                (type, id, _) =>
                {
                    if (type == "event")
                    {
                        received.Add(id);
                        last = id;
                        take--;
                    }

                    return take > 0;
                },
                Timeouts.Default);
            socket.Abort();
        }

        await stop.CancelAsync();
        await publisher.WithTimeout();
        var total = Interlocked.Read(ref published);
        using (var final = new ClientWebSocket())
        {
            await final.ConnectAsync(app.WebSocketUri($"ws/events?topics=steady/%23&since={last}"), CancellationToken.None).WithTimeout();
            await EventReader.ReadAsync(
                final,
                (type, id, _) =>
                {
                    if (type == "event")
                    {
                        received.Add(id);
                    }

                    return type != "resumed";
                },
                Timeouts.Default);
        }

        Assert.Equal(Enumerable.Range(1, (int)total).Select(i => (long)i), received);
    }
}
