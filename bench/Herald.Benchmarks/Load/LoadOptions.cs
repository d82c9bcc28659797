using System.Globalization;
using System.Net;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Load;

/// <summary>Arguments of the <c>load</c> subcommand.</summary>
internal sealed record LoadOptions
{
    public ServerKind Kind { get; init; }

    /// <summary>The servers' base addresses (<c>http://127.0.0.1:5100</c>); subscribers use the first, and fail over to the next.</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [];

    public int Connections { get; init; }

    /// <summary>The first subscriber's index in the whole group, so topics spread evenly over several workers.</summary>
    public int FirstIndex { get; init; }

    /// <summary>Topics <c>t0</c>…<c>t(n-1)</c>, subscriber i on topic i mod n; 0 or 1: everyone on <see cref="Topic"/>.</summary>
    public int Topics { get; init; }

    public string Topic { get; init; } = "bench";

    /// <summary>Handshakes in flight at once.</summary>
    public int Concurrency { get; init; } = 200;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<IPAddress> SourceAddresses { get; init; } = [];

    /// <summary>Resume checking: every subscriber is dropped this many times after <c>go</c>, and resumes.</summary>
    public int Drops { get; init; }

    /// <summary>The time over which the drops are spread.</summary>
    public TimeSpan DropWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sequence numbers <see cref="TrackFrom"/>… (n of them) tracked one by one (lost, duplicated); 0 tracks only order.</summary>
    public int Track { get; init; }

    public long TrackFrom { get; init; }

    /// <summary>Herald: connect with <c>since</c> (replay, then live).</summary>
    public long? Since { get; init; }

    /// <summary>A connection the server ends is resumed on the next URL (Herald with <c>since</c>) instead of counted as dropped.</summary>
    public bool Reconnect { get; init; }

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var map = ArgMap.Parse(args);
        return new LoadOptions
        {
            Kind = ServerKinds.Parse(map.Get("kind", "herald")),
            Urls = [.. map.Get("urls", "http://127.0.0.1:5100").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(u => new Uri(u))],
            Connections = map.GetInt("connections", 100),
            FirstIndex = map.GetInt("first-index", 0),
            Topics = map.GetInt("topics", 0),
            Topic = map.Get("topic", "bench"),
            Concurrency = map.GetInt("concurrency", 200),
            ConnectTimeout = TimeSpan.FromSeconds(map.GetDouble("connect-timeout", 10)),
            SourceAddresses = Load.SourceAddresses.ParseRange(map.Get("source-ips", "127.0.0.2-127.0.0.9")),
            Drops = map.GetInt("drops", 0),
            DropWindow = TimeSpan.FromSeconds(map.GetDouble("drop-window", 10)),
            Track = map.GetInt("track", 0),
            TrackFrom = map.GetOrNull("track-from") is { } from ? long.Parse(from, CultureInfo.InvariantCulture) : 0,
            Since = map.GetOrNull("since") is { } since ? long.Parse(since, CultureInfo.InvariantCulture) : null,
            Reconnect = map.Has("reconnect"),
        };
    }
}
