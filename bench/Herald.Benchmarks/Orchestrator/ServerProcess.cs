using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>A server child process and its address.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private ServerProcess(ServerKind kind, ChildProcess process, string url)
    {
        Kind = kind;
        Process = process;
        Url = url;
    }

    public ServerKind Kind { get; }

    public ChildProcess Process { get; }

    public string Url { get; }

    public static async Task<ServerProcess> StartAsync(ServerKind kind, TimeSpan heartbeat, string store = "memory", string? sqlitePath = null, int? openFilesLimit = null)
    {
        var port = FreePort();
        List<string> args =
        [
            "server", "--kind", ServerKinds.Name(kind), "--port", port.ToString(CultureInfo.InvariantCulture),
            "--heartbeat", heartbeat.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--store", store,
        ];
        if (sqlitePath is not null)
        {
            args.AddRange(["--sqlite-path", sqlitePath]);
        }
        var process = ChildProcess.Start(args, openFilesLimit, Environment(kind));
        var line = await process.ReadLineAsync(TimeSpan.FromSeconds(60));
        if (!line.StartsWith("listening ", StringComparison.Ordinal))
        {
            await process.DisposeAsync();
            throw new InvalidOperationException("server said: " + line);
        }
        return new ServerProcess(kind, process, line["listening ".Length..]);
    }

    /// <summary>
    /// Herald's server runs with the herald executable's runtime settings (Herald.Cli.csproj): workstation GC, and
    /// tier-up without the call-counting delay. The references keep ASP.NET Core's defaults (server GC, the
    /// 100 ms delay), as their users would run them.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> Environment(ServerKind kind)
        => kind == ServerKind.Herald
            ? new Dictionary<string, string> { ["DOTNET_gcServer"] = "0", [CallCountingDelayVariable] = "0" }
            : new Dictionary<string, string>();

    internal const string CallCountingDelayVariable = "DOTNET_TC_CallCountingDelayMs";

    /// <summary>True while the process runs and answers HTTP.</summary>
    public async Task<bool> IsHealthyAsync()
    {
        if (Process.HasExited)
        {
            return false;
        }
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await client.GetAsync(new Uri(Url + "/bench/stats"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Live managed bytes after a forced full GC (ask only after reading RSS: the GC changes it).</summary>
    public async Task<long> LiveManagedBytesAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var stats = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri(Url + "/bench/stats?collect=true")));
        return stats.RootElement.GetProperty("managedHeap").GetInt64();
    }

    public ValueTask DisposeAsync()
    {
        return Process.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
