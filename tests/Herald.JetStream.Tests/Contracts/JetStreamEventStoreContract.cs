using Herald.Testing.Contracts;

namespace Herald.JetStream.Tests.Contracts;

/// <summary>The log contract against a real JetStream server; each test gets streams of its own.</summary>
public abstract class JetStreamEventStoreContract(NatsFixture nats, int cacheEvents) : EventStoreContract, IAsyncLifetime
{
    private readonly List<JetStreamConnection> _connections = [];
    private JetStreamOptions? _options;

    protected override async Task<IEventStore> CreateStoreAsync() => await OpenAsync(_options ??= NewOptions());

    protected override async Task<IEventStore> OpenSecondWriterAsync(IEventStore first) => await OpenAsync(_options!);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    private JetStreamOptions NewOptions()
    {
        var options = nats.NewOptions();
        options.CacheEvents = cacheEvents;
        return options;
    }

    private async Task<IEventStore> OpenAsync(JetStreamOptions options)
    {
        // Each store has a connection of its own, as each node would.
        var connection = new JetStreamConnection(options, "node-" + _connections.Count);
        _connections.Add(connection);
        var store = new JetStreamEventStore(connection);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }
}
