namespace Herald.Benchmarks.Servers;

/// <summary>Names of each <see cref="ServerKind"/> on the command line.</summary>
public static class ServerKinds
{
    public static ServerKind Parse(string text)
        => text.ToLowerInvariant() switch
        {
            "herald" => ServerKind.Herald,
            "nats" => ServerKind.Nats,
            "ws" or "nodews" => ServerKind.NodeWs,
            "socketio" => ServerKind.SocketIo,
            "signalr" => ServerKind.SignalR,
            "raw" => ServerKind.Raw,
            "floor" => ServerKind.Floor,
            _ => throw new ArgumentException("unknown server kind: " + text),
        };

    public static string Name(ServerKind kind)
        => kind switch
        {
            ServerKind.Herald => "herald",
            ServerKind.Nats => "nats",
            ServerKind.NodeWs => "ws",
            ServerKind.SocketIo => "socketio",
            ServerKind.SignalR => "signalr",
            ServerKind.Raw => "raw",
            _ => "floor",
        };

    /// <summary>Whether the kind runs on .NET (in this assembly's <c>server</c> subcommand).</summary>
    public static bool IsDotnet(ServerKind kind) => kind is ServerKind.Herald or ServerKind.Raw or ServerKind.SignalR;
}
