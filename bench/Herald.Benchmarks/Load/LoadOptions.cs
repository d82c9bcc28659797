using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Load;

/// <summary>Arguments of the <c>load</c> subcommand.</summary>
public sealed record LoadOptions
{
    public ServerKind Kind { get; init; }

    /// <summary>The server's base address, such as <c>http://127.0.0.1:5100</c>.</summary>
    public string BaseUrl { get; init; } = "";

    public int Connections { get; init; }

    /// <summary>Handshakes in flight at once during the connect phase.</summary>
    public int Concurrency { get; init; } = 64;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<System.Net.IPAddress> SourceAddresses { get; init; } = [];

    /// <summary>How often each client sends a sign of life (Herald pong, SignalR ping).</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Resume checking: every client is dropped this many times after <c>go</c>, and reconnects.</summary>
    public int Drops { get; init; }

    /// <summary>The time over which the drops are spread.</summary>
    public TimeSpan DropWindow { get; init; } = TimeSpan.FromSeconds(10);

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var map = ArgMap.Parse(args);
        return new LoadOptions
        {
            Kind = ServerKinds.Parse(map.Get("kind", "herald")),
            BaseUrl = map.Get("url", "http://127.0.0.1:5100"),
            Connections = map.GetInt("connections", 100),
            Concurrency = map.GetInt("concurrency", 64),
            ConnectTimeout = TimeSpan.FromSeconds(map.GetDouble("connect-timeout", 10)),
            SourceAddresses = Load.SourceAddresses.ParseRange(map.Get("source-ips", "127.0.0.2-127.0.0.9")),
            Heartbeat = TimeSpan.FromSeconds(map.GetDouble("heartbeat", 10)),
            Drops = map.GetInt("drops", 0),
            DropWindow = TimeSpan.FromSeconds(map.GetDouble("drop-window", 10)),
        };
    }
}
