namespace Herald.Benchmarks.Servers;

/// <summary>One row of the report: a server program and how it runs (Herald's store).</summary>
/// <param name="Name">The row's name, as <c>--servers</c> takes it.</param>
/// <param name="Kind">The program and its subscriber protocol.</param>
/// <param name="Store">Herald's store: <c>sqlite</c> (the default, durable), <c>memory</c> or <c>jetstream</c>.</param>
/// <param name="Description">What the row is, for the report.</param>
public sealed record ServerSpec(string Name, ServerKind Kind, string Store, string Description)
{
    public static ServerSpec Herald { get; } = new("herald", ServerKind.Herald, "sqlite", "Herald as `herald serve` runs it: SQLite store, default synchronous (FULL: fsync before every acknowledgement)");

    public static ServerSpec HeraldMemory { get; } = new("herald-memory", ServerKind.Herald, "memory", "Herald with the in-memory store");

    public static ServerSpec Nats { get; } = new("nats", ServerKind.Nats, "", "nats-server 2.9 (Debian): subscribers on its WebSocket listener speaking the NATS text protocol, publishes over core NATS TCP");

    public static ServerSpec NodeWs { get; } = new("ws", ServerKind.NodeWs, "", "Node 20 with the `ws` package: a broadcaster that frames each event once as a string");

    public static ServerSpec SocketIo { get; } = new("socketio", ServerKind.SocketIo, "", "Socket.IO 4 on Node 20, WebSocket transport only, a room per topic");

    public static ServerSpec SignalR { get; } = new("signalr", ServerKind.SignalR, "", "ASP.NET Core SignalR, a group per topic, JSON hub protocol");

    public static ServerSpec Raw { get; } = new("raw", ServerKind.Raw, "", "a minimal Kestrel WebSocket broadcaster: serialize once, a bounded queue and a writer loop per connection");

    public static ServerSpec Floor { get; } = new("floor", ServerKind.Floor, "", "the floor: C, epoll, each event framed once into a shared log, one writev per socket per batch");

    /// <summary>Every row, Herald first, in report order.</summary>
    public static IReadOnlyList<ServerSpec> All { get; } = [Herald, HeraldMemory, Nats, NodeWs, SocketIo, SignalR, Raw, Floor];

    public static ServerSpec Parse(string name)
        => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException("unknown server: " + name + "; known: " + string.Join(", ", All.Select(s => s.Name)));

    public bool IsHerald => Kind == ServerKind.Herald;
}
