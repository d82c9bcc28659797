using System.Globalization;

namespace Herald.Benchmarks.Servers;

/// <summary>Arguments of the <c>server</c> subcommand (the .NET servers).</summary>
public sealed record ServerOptions(ServerKind Kind, int Port, TimeSpan Heartbeat, string Store, string? SqlitePath)
{
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Herald on JetStream: the NATS servers (comma-separated).</summary>
    public string? Nats { get; init; }

    /// <summary>Herald on JetStream: stream replicas.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>Herald: the node id (several nodes on one JetStream).</summary>
    public string? NodeId { get; init; }

    public static ServerOptions Parse(IReadOnlyList<string> args)
    {
        var map = ArgMap.Parse(args);
        return new ServerOptions(
            ServerKinds.Parse(map.Get("kind", "herald")),
            int.Parse(map.Get("port", "5100"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(map.Get("heartbeat", "10"), CultureInfo.InvariantCulture)),
            map.Get("store", "memory"),
            map.GetOrNull("sqlite-path"))
        {
            Nats = map.GetOrNull("nats"),
            Replicas = map.GetInt("replicas", 1),
            NodeId = map.GetOrNull("node-id"),
        };
    }
}
