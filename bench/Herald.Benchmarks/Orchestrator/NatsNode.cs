using System.Globalization;
using System.Text;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>
/// One nats-server process (Debian's package) with its configuration in a directory of the run: core NATS on a client
/// port, optionally a WebSocket listener (the fan-out reference), JetStream with its store there, and routes to the other
/// servers of a cluster.
/// </summary>
public sealed class NatsNode : IAsyncDisposable
{
    private NatsNode(ChildProcess process, int clientPort, int monitorPort)
    {
        Process = process;
        ClientPort = clientPort;
        MonitorPort = monitorPort;
    }

    public ChildProcess Process { get; }

    public int ClientPort { get; }

    public int MonitorPort { get; }

    public string ClientUrl => "nats://127.0.0.1:" + ClientPort.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Starts a server and waits until /healthz answers 200 (for JetStream in a cluster: once a meta leader is elected).
    /// <paramref name="webSocketPort"/> opens the WebSocket listener; <paramref name="clusterPorts"/> (one per server,
    /// this one at <paramref name="index"/>) makes it one of a cluster.
    /// </summary>
    public static async Task<NatsNode> StartAsync(string directory, TimeSpan heartbeat, int? webSocketPort = null, bool jetStream = false, IReadOnlyList<int>? clusterPorts = null, int index = 0, int? clientPort = null)
    {
        Directory.CreateDirectory(directory);
        var port = clientPort ?? FreePorts.Next();
        var monitor = FreePorts.Next();
        var config = new StringBuilder();
        config.AppendLine(CultureInfo.InvariantCulture, $"server_name: n{index}");
        config.AppendLine(CultureInfo.InvariantCulture, $"listen: 127.0.0.1:{port}");
        config.AppendLine(CultureInfo.InvariantCulture, $"http: 127.0.0.1:{monitor}");
        // The same heartbeat as every other server: a PING to each client every interval.
        config.AppendLine(CultureInfo.InvariantCulture, $"ping_interval: \"{heartbeat.TotalSeconds:0.###}s\"");
        if (webSocketPort is { } ws)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"websocket {{ host: 127.0.0.1, port: {ws}, no_tls: true, compression: false }}");
        }
        if (jetStream)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"jetstream {{ store_dir: \"{Path.Combine(directory, "js")}\" }}");
        }
        if (clusterPorts is { Count: > 1 })
        {
            var routes = string.Join(", ", clusterPorts.Select(p => "nats-route://127.0.0.1:" + p.ToString(CultureInfo.InvariantCulture)));
            config.AppendLine(CultureInfo.InvariantCulture, $"cluster {{ name: herald-bench, listen: 127.0.0.1:{clusterPorts[index]}, routes: [{routes}] }}");
        }
        var file = Path.Combine(directory, "nats.conf");
        await File.WriteAllTextAsync(file, config.ToString());
        ChildProcess process;
        try
        {
            process = ChildProcess.StartProgram("nats-server", ["-c", file]);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("nats-server is missing: run eng/setup.sh (it installs Debian's nats-server)", ex);
        }
        var node = new NatsNode(process, port, monitor);
        await node.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return node;
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException("nats-server exited: " + Process.Stderr());
            }
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{MonitorPort}/healthz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("nats-server did not become ready: " + Process.Stderr());
            }
            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync()
    {
        // nats-server does not read stdin; it stops on a signal.
        Process.Kill();
        return Process.DisposeAsync();
    }
}
