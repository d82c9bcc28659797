namespace Herald.Benchmarks.Servers;

/// <summary>Arguments of the <c>server</c> subcommand.</summary>
public sealed record ServerOptions(ServerKind Kind, int Port, TimeSpan Heartbeat, string Store, string? SqlitePath)
{
    public string Url => $"http://127.0.0.1:{Port}";

    public static ServerOptions Parse(IReadOnlyList<string> args)
    {
        var map = ArgMap.Parse(args);
        return new ServerOptions(
            ServerKinds.Parse(map.Get("kind", "herald")),
            int.Parse(map.Get("port", "5100"), System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(map.Get("heartbeat", "10"), System.Globalization.CultureInfo.InvariantCulture)),
            map.Get("store", "memory"),
            map.GetOrNull("sqlite-path"));
    }
}
