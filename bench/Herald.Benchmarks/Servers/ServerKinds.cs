namespace Herald.Benchmarks.Servers;

/// <summary>Names and endpoints of each <see cref="ServerKind"/>.</summary>
public static class ServerKinds
{
    public static IReadOnlyList<ServerKind> All { get; } = [ServerKind.Herald, ServerKind.Raw, ServerKind.SignalR];

    public static ServerKind Parse(string text)
    {
        return Enum.Parse<ServerKind>(text, ignoreCase: true);
    }

    public static string Name(ServerKind kind)
    {
        return kind switch
        {
            ServerKind.Herald => "herald",
            ServerKind.Raw => "raw",
            _ => "signalr",
        };
    }

    /// <summary>The WebSocket URL a subscriber connects to.</summary>
    public static string SocketPath(ServerKind kind)
    {
        return kind switch
        {
            ServerKind.Herald => "/ws/events?topics=bench",
            ServerKind.Raw => "/ws",
            _ => "/hub",
        };
    }

    /// <summary>Where events are published over HTTP.</summary>
    public static string PublishPath(ServerKind kind)
    {
        return kind == ServerKind.Herald ? "/api/events" : "/publish";
    }

    /// <summary>Wraps a payload in the publish body the server expects.</summary>
    public static string WrapForPublish(ServerKind kind, string payload)
    {
        return kind == ServerKind.Herald ? $"{{\"topic\":\"bench\",\"type\":\"t\",\"data\":{payload}}}" : payload;
    }
}
