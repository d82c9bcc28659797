using System.Text;
using NATS.Client.JetStream;

namespace Herald.JetStream.Tests;

/// <summary>What the JetStream log does beyond the shared contract: survive losing its consumer, notice a stream made anew, keep to retention.</summary>
public sealed class JetStreamEventStoreTests(NatsFixture nats) : IClassFixture<NatsFixture>, IAsyncLifetime
{
    private readonly List<JetStreamConnection> _connections = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task AFollowerWhoseConsumerIsDeletedGoesOnWithoutGapOrDuplicate()
    {
        var options = nats.NewOptions();
        var connection = Connect(options);
        await using var store = new JetStreamEventStore(connection);
        await store.InitializeAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource(Timeouts.Long);
        var followed = store.FollowAsync(0, stop.Token).Take(10).ToListAsync(stop.Token).AsTask();
        var first = await store.AppendAsync(Events("a", 5), CancellationToken.None);
        await Timeouts.Until(() => store.FollowedThrough >= first[^1].Id, "the tail follows");

        var js = new NatsJSContext(connection.Connection);
        await foreach (var name in js.ListConsumerNamesAsync(options.EventsStream))
        {
            await js.DeleteConsumerAsync(options.EventsStream, name);
        }

        var second = await store.AppendAsync(Events("b", 5), CancellationToken.None);

        Assert.Equal(first.Concat(second).Select(e => e.Id), (await followed.WithTimeout(Timeouts.Long)).Select(e => e.Id));
    }

    [Fact]
    public async Task EveryNodeKnowsTheLogsLastIdFromItsStartAndFromWhatOthersAppend()
    {
        var options = nats.NewOptions();
        await using var writer = await OpenAsync(options);
        var before = await writer.AppendAsync(Events("a", 3), CancellationToken.None);
        await using var other = await OpenAsync(options);
        Assert.Equal(before[^1].Id, other.KnownLastId);

        var after = await writer.AppendAsync(Events("b", 4), CancellationToken.None);

        Assert.Equal(after[^1].Id, writer.KnownLastId);
        await Timeouts.Until(() => other.KnownLastId == after[^1].Id, "the other node hears of the new events");
    }

    [Fact]
    public async Task AStreamCreatedAnewIsFollowedFromItsStartAndItsEventsReachFollowers()
    {
        var options = nats.NewOptions();
        var connection = Connect(options);
        await using var store = new JetStreamEventStore(connection) { EpochCheckInterval = TimeSpan.FromMilliseconds(100) };
        await store.InitializeAsync(CancellationToken.None);
        var old = await store.AppendAsync(Events("old", 20), CancellationToken.None);
        await Timeouts.Until(() => store.FollowedThrough == old[^1].Id, "the tail follows the old stream");
        var epoch = store.Epoch;

        await new NatsJSContext(connection.Connection).DeleteStreamAsync(options.EventsStream);
        await using var other = await OpenAsync(options);
        var fresh = await other.AppendAsync(Events("new", 3), CancellationToken.None);

        // A follower that stopped at the old stream's last id, as the dispatcher does, is moved to the new stream's start.
        await Timeouts.Until(() => store.Epoch != epoch, "the node notices the new stream");
        using var stop = new CancellationTokenSource(Timeouts.Default);
        var followed = await store.FollowAsync(old[^1].Id, stop.Token).Take(3).ToListAsync(stop.Token).AsTask().WithTimeout();

        Assert.Equal([1L, 2L, 3L], fresh.Select(e => e.Id));
        Assert.Equal(fresh.Select(e => e.Id), followed.Select(e => e.Id));
        Assert.All(followed, e => Assert.Equal("new", e.Topic));
    }

    [Fact]
    public async Task RetentionKeepsTheNewestEventsAndBoundsSayWhereTheLogStarts()
    {
        var options = nats.NewOptions();
        options.MaxEvents = 3;
        options.CacheEvents = 0;
        await using var store = await OpenAsync(options);

        var stored = await store.AppendAsync(Events("a", 10), CancellationToken.None);
        var bounds = await store.GetBoundsAsync(CancellationToken.None);
        var page = await store.ReadAsync(new EventQuery(0, 100, []), CancellationToken.None);

        Assert.Equal(new EventStoreBounds(stored[7].Id, stored[9].Id), bounds);
        Assert.Equal(stored.Skip(7).Select(e => e.Id), page.Events.Select(e => e.Id));
        Assert.Null(await store.GetAsync(stored[0].Id, CancellationToken.None));
    }

    private static NewEvent[] Events(string topic, int count)
        => [.. Enumerable.Range(0, count).Select(n => new NewEvent(topic, "tick", Encoding.UTF8.GetBytes($"{{\"n\":{n}}}")))];

    private JetStreamConnection Connect(JetStreamOptions options)
    {
        var connection = new JetStreamConnection(options, "node-" + _connections.Count);
        _connections.Add(connection);
        return connection;
    }

    private async Task<JetStreamEventStore> OpenAsync(JetStreamOptions options)
    {
        var store = new JetStreamEventStore(Connect(options));
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }
}
