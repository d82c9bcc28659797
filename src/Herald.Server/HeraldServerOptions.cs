namespace Herald.Server;

/// <summary>
/// The standalone server's own settings, bound from the <c>Herald</c> section beside <see cref="HeraldOptions"/>.
/// Read once while the server is built; <see cref="Validate"/> names the key and what it allows.
/// </summary>
public sealed class HeraldServerOptions
{
    /// <summary>
    /// The event store: <c>sqlite</c> (durable, the default for one node), <c>memory</c> (nothing kept across restarts),
    /// or <c>jetstream</c> (NATS JetStream, shared by several nodes; the default when <c>Herald:Nats:Url</c> is set).
    /// </summary>
    public string Store { get; set; } = SqliteStore;

    /// <summary>
    /// Plain HTTP connections Kestrel holds at once (REST, SSE streams, handshakes in progress); past it new ones are
    /// closed at once. Default 256; at least 1.
    /// </summary>
    public long MaxHttpConnections { get; set; } = 256;

    /// <summary>Take <c>/ws/events</c> handshakes below Kestrel's HTTP layer. Default <see langword="true"/>.</summary>
    public bool DirectWebSockets { get; set; } = true;

    /// <summary>
    /// With <see cref="DirectWebSockets"/>, take complete handshakes as connections are accepted, before Kestrel builds
    /// anything for them, and send from Herald's own queues. Default <see langword="true"/>.
    /// </summary>
    public bool SocketTransport { get; set; } = true;

    /// <summary>The value of <see cref="Store"/> for the SQLite store.</summary>
    public const string SqliteStore = "sqlite";

    /// <summary>The value of <see cref="Store"/> for the in-memory store.</summary>
    public const string MemoryStore = "memory";

    /// <summary>The value of <see cref="Store"/> for NATS JetStream.</summary>
    public const string JetStreamStore = "jetstream";

    /// <summary>What is wrong with these settings, one message per key; empty when nothing is.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!new[] { SqliteStore, MemoryStore, JetStreamStore }.Contains(Store, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Herald:Store is '{Store}'; use '{SqliteStore}' (durable, the default), '{MemoryStore}' (nothing kept across restarts) or '{JetStreamStore}' (NATS, several nodes; set Herald:Nats:Url).");
        }

        if (MaxHttpConnections < 1)
        {
            errors.Add($"Herald:MaxHttpConnections must be at least 1; it is {MaxHttpConnections}.");
        }

        return errors;
    }
}
