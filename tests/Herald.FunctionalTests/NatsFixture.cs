using Herald.Testing;

namespace Herald.FunctionalTests;

/// <summary>One JetStream server for a test class; each test names streams and subjects of its own (<see cref="NewBackendArgs"/>).</summary>
public sealed class NatsFixture : IAsyncLifetime
{
    private NatsServers? _servers;
    private int _next;

    public NatsServers Servers => _servers ?? throw new InvalidOperationException("The servers have not started.");

    /// <summary>Settings that put a node on this server, on streams no other test uses; every node of one test gets the same.</summary>
    public string[] NewBackendArgs()
    {
        var n = Interlocked.Increment(ref _next);
        return
        [
            $"--Herald:Nats:Url={Servers.Urls}",
            $"--Herald:Nats:SubjectPrefix=f{n}",
            $"--Herald:Nats:EventsStream=EVENTS_{n}",
            $"--Herald:Nats:SessionsStream=SESSIONS_{n}",
            "--Herald:Nats:Storage=Memory",
            "--Herald:Store=jetstream",
        ];
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
