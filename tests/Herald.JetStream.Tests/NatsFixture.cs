namespace Herald.JetStream.Tests;

/// <summary>One JetStream server for a whole test class; each test makes its own streams on it (<see cref="NewOptions"/>).</summary>
public sealed class NatsFixture : IAsyncLifetime
{
    private NatsServers? _servers;
    private int _next;

    public NatsServers Servers => _servers ?? throw new InvalidOperationException("The servers have not started.");

    /// <summary>Options naming streams and subjects no other test uses.</summary>
    public JetStreamOptions NewOptions()
    {
        var n = Interlocked.Increment(ref _next);
        return new JetStreamOptions
        {
            Url = Servers.Urls,
            SubjectPrefix = "t" + n,
            EventsStream = "EVENTS_" + n,
            SessionsStream = "SESSIONS_" + n,
            Storage = JetStreamStorage.Memory,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
    }

    public async Task InitializeAsync() => _servers = await NatsServers.StartAsync();

    public async Task DisposeAsync()
    {
        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }
}
