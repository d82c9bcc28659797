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
    /// Plain HTTP connections Kestrel holds at once (REST, handshakes in progress, idle connections); past it new ones
    /// are closed at once. WebSockets and SSE streams count towards the hub's <c>MaxConnections</c> instead, so they
    /// cannot starve REST. Default 256; at least 1.
    /// </summary>
    public long MaxHttpConnections { get; set; } = 256;

    /// <summary>
    /// How long a request head may take to arrive once it begins (Kestrel's <c>RequestHeadersTimeout</c>, kept by
    /// Herald's socket paths too); a slower one gets 408 and its connection closes. Default 10 seconds (Kestrel's is 30).
    /// </summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a connection may stay silent, new or between requests, before it is closed (Kestrel's
    /// <c>KeepAliveTimeout</c>, kept by Herald's socket paths too). Default 30 seconds (Kestrel's is 130).
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Take <c>/ws/events</c> handshakes below Kestrel's HTTP layer. Default <see langword="true"/>.</summary>
    public bool DirectWebSockets { get; set; } = true;

    /// <summary>
    /// With <see cref="DirectWebSockets"/>, take complete handshakes as connections are accepted, before Kestrel builds
    /// anything for them, and send from Herald's own queues. Default <see langword="true"/>.
    /// </summary>
    public bool SocketTransport { get; set; } = true;

    /// <summary>
    /// Host names (the <c>Host</c> header) the server answers to besides <c>localhost</c>, <c>127.0.0.1</c> and
    /// <c>[::1]</c>, such as <c>herald.example.com</c> or <c>*.example.com</c>; <c>*</c> allows any. Others get 400,
    /// which defeats DNS rebinding. Default: empty, meaning any host while authentication is on, else the hosts of the
    /// listen addresses (and this machine's addresses and name for one that binds every address).
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

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

        if (RequestHeadersTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Herald:RequestHeadersTimeout must be positive; it is {RequestHeadersTimeout}.");
        }

        if (KeepAliveTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Herald:KeepAliveTimeout must be positive; it is {KeepAliveTimeout}.");
        }

        errors.AddRange(AllowedHosts.Select(Server.AllowedHosts.Check).OfType<string>());
        return errors;
    }
}
