using System.Globalization;
using System.Net.Sockets;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>How to start a server: the run's settings and, for Herald on JetStream, where NATS is.</summary>
public sealed record ServerStart
{
    public required TimeSpan Heartbeat { get; init; }

    /// <summary>A directory of the run for databases and configuration.</summary>
    public required string TempDirectory { get; init; }

    /// <summary>The .NET servers' GC: <c>workstation</c> or <c>server</c> (all of them the same).</summary>
    public string Gc { get; init; } = "workstation";

    /// <summary>The floor server's writer threads.</summary>
    public int FloorWriters { get; init; } = 1;

    public int? OpenFilesLimit { get; init; }

    /// <summary>Herald on JetStream: the NATS servers, comma-separated.</summary>
    public string? Nats { get; init; }

    public int Replicas { get; init; } = 1;

    public string? NodeId { get; init; }
}

/// <summary>A server child process and its addresses.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly NatsNode? _nats;

    private ServerProcess(ServerSpec spec, ChildProcess process, Uri url, Uri publishUrl, NatsNode? nats = null)
    {
        Spec = spec;
        Process = process;
        Url = url;
        PublishUrl = publishUrl;
        _nats = nats;
    }

    public ServerSpec Spec { get; }

    public ServerKind Kind => Spec.Kind;

    public ChildProcess Process { get; }

    /// <summary>Where subscribers connect (for NATS its WebSocket listener).</summary>
    public Uri Url { get; }

    /// <summary>Where events are published: HTTP, or core NATS TCP (<c>nats://</c>).</summary>
    public Uri PublishUrl { get; }

    public static async Task<ServerProcess> StartAsync(ServerSpec spec, ServerStart start)
    {
        var port = FreePorts.Next();
        var url = new Uri("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
        var heartbeat = start.Heartbeat.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        ChildProcess process;
        switch (spec.Kind)
        {
            case ServerKind.Nats:
                var nats = await NatsNode.StartAsync(Path.Combine(start.TempDirectory, "nats-" + port.ToString(CultureInfo.InvariantCulture)), start.Heartbeat, webSocketPort: port);
                return new ServerProcess(spec, nats.Process, url, new Uri(nats.ClientUrl), nats);
            case ServerKind.NodeWs or ServerKind.SocketIo:
                var script = Path.Combine(RepositoryPaths.Bench, "node", spec.Kind == ServerKind.NodeWs ? "ws-server.js" : "socketio-server.js");
                if (!Directory.Exists(Path.Combine(RepositoryPaths.Bench, "node", "node_modules", spec.Kind == ServerKind.NodeWs ? "ws" : "socket.io")))
                {
                    throw new InvalidOperationException("the Node references' packages are not installed: run bench/setup.sh (eng/setup.sh runs it)");
                }
                process = ChildProcess.StartProgram("node", ["--expose-gc", script, "--port", port.ToString(CultureInfo.InvariantCulture), "--heartbeat", heartbeat], start.OpenFilesLimit);
                break;
            case ServerKind.Floor:
                process = ChildProcess.StartProgram(await FloorBuild.EnsureBuiltAsync(), ["--port", port.ToString(CultureInfo.InvariantCulture), "--heartbeat", heartbeat, "--writers", start.FloorWriters.ToString(CultureInfo.InvariantCulture)], start.OpenFilesLimit);
                break;
            default:
                List<string> args = ["server", "--kind", ServerKinds.Name(spec.Kind), "--port", port.ToString(CultureInfo.InvariantCulture), "--heartbeat", heartbeat, "--store", spec.Store is "" ? "memory" : spec.Store];
                if (spec.Store == "sqlite")
                {
                    args.AddRange(["--sqlite-path", Path.Combine(start.TempDirectory, "herald-" + port.ToString(CultureInfo.InvariantCulture) + ".db")]);
                }
                if (start.Nats is not null)
                {
                    args.AddRange(["--nats", start.Nats, "--replicas", start.Replicas.ToString(CultureInfo.InvariantCulture)]);
                }
                if (start.NodeId is not null)
                {
                    args.AddRange(["--node-id", start.NodeId]);
                }
                process = ChildProcess.Start(args, start.OpenFilesLimit, DotnetEnvironment(start.Gc));
                break;
        }

        try
        {
            while (true)
            {
                var line = await process.ReadLineAsync(TimeSpan.FromSeconds(90));
                if (line.StartsWith("listening ", StringComparison.Ordinal))
                {
                    return new ServerProcess(spec, process, url, url);
                }
            }
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Every .NET server runs with the same runtime settings, Herald's (Herald.Cli.csproj): the GC chosen for the run
    /// (workstation by default) and tier-up without the runtime's 100 ms call-counting delay.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> DotnetEnvironment(string gc)
        => new Dictionary<string, string> { ["DOTNET_gcServer"] = gc == "server" ? "1" : "0", ["DOTNET_TC_CallCountingDelayMs"] = "0" };

    /// <summary>True while the process runs and accepts connections (and, on .NET, answers HTTP).</summary>
    public async Task<bool> IsHealthyAsync()
    {
        if (Process.HasExited)
        {
            return false;
        }
        try
        {
            if (ServerKinds.IsDotnet(Kind))
            {
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                using var response = await client.GetAsync(new Uri(Url, "/bench/stats"));
                return response.IsSuccessStatusCode;
            }
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(Url.Host, Url.Port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Live managed bytes after a forced full GC (.NET and Node; NaN elsewhere). Ask only after reading RSS: the GC changes it.</summary>
    public async Task<double> LiveManagedBytesAsync()
    {
        if (!ServerKinds.IsDotnet(Kind) && Kind is not (ServerKind.NodeWs or ServerKind.SocketIo))
        {
            return double.NaN;
        }
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var stats = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri(Url, "/bench/stats?collect=true")));
        return stats.RootElement.GetProperty("managedHeap").GetDouble();
    }

    public async ValueTask DisposeAsync()
    {
        if (_nats is not null)
        {
            await _nats.DisposeAsync();
            return;
        }
        await Process.DisposeAsync();
    }
}
