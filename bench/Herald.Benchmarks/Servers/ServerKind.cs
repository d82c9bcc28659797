namespace Herald.Benchmarks.Servers;

/// <summary>The server programs the suite compares, each with its own subscriber protocol.</summary>
public enum ServerKind
{
    /// <summary>Herald itself, built with <c>HeraldServer.Build</c> as <c>herald serve</c> does.</summary>
    Herald,

    /// <summary>Debian's nats-server: subscribers on its WebSocket listener, publishes over core NATS TCP.</summary>
    Nats,

    /// <summary>A Node broadcaster on the <c>ws</c> package (bench/node/ws-server.js).</summary>
    NodeWs,

    /// <summary>A Socket.IO 4 server on Node, WebSocket transport only (bench/node/socketio-server.js).</summary>
    SocketIo,

    /// <summary>An ASP.NET Core SignalR hub broadcasting to a group per topic, JSON hub protocol.</summary>
    SignalR,

    /// <summary>A minimal Kestrel WebSocket broadcaster: serialize once, a bounded queue and a writer loop per connection.</summary>
    Raw,

    /// <summary>The floor: the least work per delivery this kernel allows (bench/floor/floor.c).</summary>
    Floor,
}
