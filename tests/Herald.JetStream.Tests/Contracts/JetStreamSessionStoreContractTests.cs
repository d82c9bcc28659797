using Herald.Testing.Contracts;

namespace Herald.JetStream.Tests.Contracts;

/// <summary>The session store contract against a real JetStream server; each test gets a stream of its own.</summary>
public sealed class JetStreamSessionStoreContractTests(NatsFixture nats) : SessionStoreContract, IClassFixture<NatsFixture>, IAsyncLifetime
{
    private readonly List<JetStreamConnection> _connections = [];
    private JetStreamOptions? _options;

    protected override async Task<ISessionStore> CreateStoreAsync() => await OpenAsync(_options ??= nats.NewOptions());

    protected override async Task<ISessionStore> OpenSecondAsync(ISessionStore first) => await OpenAsync(_options!);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<ISessionStore> OpenAsync(JetStreamOptions options)
    {
        var connection = new JetStreamConnection(options, "node-" + _connections.Count);
        _connections.Add(connection);
        var store = new JetStreamSessionStore(connection);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }
}
