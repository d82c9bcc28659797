using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Herald.Testing;

/// <summary>
/// Real <c>nats-server</c> processes with JetStream on free loopback ports, each with a temporary store directory: one
/// server, or a cluster of several. Tests that need NATS start one and dispose it; <c>eng/setup.sh</c> installs
/// Debian's <c>nats-server</c>, and a test fails with a one-line hint when it is missing.
/// </summary>
public sealed class NatsServers : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly Server[] _servers;

    private NatsServers(int count, string extraConfig)
    {
        var clusterPorts = Enumerable.Range(0, count).Select(_ => FreePort()).ToArray();
        _servers = [.. Enumerable.Range(0, count).Select(i => new Server(i, FreePort(), FreePort(), clusterPorts, Path.Combine(_directory.Path, "n" + i.ToString(CultureInfo.InvariantCulture)), extraConfig))];
    }

    /// <summary>The servers' client URLs, comma-separated, as Herald takes them (<c>Herald:Nats:Url</c>).</summary>
    public string Urls => string.Join(',', _servers.Select(s => s.Url));

    /// <summary>How many servers there are.</summary>
    public int Count => _servers.Length;

    /// <summary>One server's client URL.</summary>
    public string Url(int server) => _servers[server].Url;

    /// <summary>Starts <paramref name="count"/> servers (a cluster when more than one) and waits until JetStream is ready on each.</summary>
    /// <param name="count">How many servers.</param>
    /// <param name="extraConfig">Lines added to each server's configuration, such as an <c>authorization { }</c> block.</param>
    public static async Task<NatsServers> StartAsync(int count = 1, string extraConfig = "")
    {
        await Prerequisite.RequireAsync("nats-server (Debian package nats-server)", "nats-server", "--version").ConfigureAwait(false);
        var servers = new NatsServers(count, extraConfig);
        try
        {
            foreach (var server in servers._servers)
            {
                server.Start();
            }

            await Task.WhenAll(servers._servers.Select(s => s.WaitReadyAsync())).ConfigureAwait(false);
            return servers;
        }
        catch
        {
            await servers.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills one server at once (SIGKILL), as a crash would.</summary>
    public void Kill(int server) => _servers[server].Kill();

    /// <summary>Starts a killed server again on its ports and store, and waits until it is ready.</summary>
    public async Task RestartAsync(int server)
    {
        _servers[server].Start();
        await _servers[server].WaitReadyAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            server.Kill();
        }

        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Server(int index, int port, int monitorPort, int[] clusterPorts, string directory, string extraConfig)
    {
        private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
        private readonly StringBuilder _output = new();
        private Process? _process;

        public string Url { get; } = "nats://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);

        public void Start()
        {
            Directory.CreateDirectory(directory);
            var config = Path.Combine(directory, "nats.conf");
            File.WriteAllText(config, Config());
            var start = new ProcessStartInfo("nats-server", ["-c", config])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, e) => Capture(e.Data);
            _process.ErrorDataReceived += (_, e) => Capture(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public async Task WaitReadyAsync()
        {
            var deadline = DateTime.UtcNow + Timeouts.Long;
            while (true)
            {
                if (_process is { HasExited: true })
                {
                    throw new InvalidOperationException($"nats-server {index} exited: {Output()}");
                }

                try
                {
                    // 200 once JetStream is current: for a cluster, once the servers elected a meta leader.
                    using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{monitorPort}/healthz")).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"nats-server {index} did not become ready: {Output()}");
                }

                await Task.Delay(50).ConfigureAwait(false);
            }
        }

        public void Kill()
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill();
                process.WaitForExit(5000);
            }

            _process?.Dispose();
            _process = null;
        }

        private string Config()
        {
            var config = new StringBuilder();
            config.AppendLine(CultureInfo.InvariantCulture, $"server_name: n{index}");
            config.AppendLine(CultureInfo.InvariantCulture, $"listen: 127.0.0.1:{port}");
            config.AppendLine(CultureInfo.InvariantCulture, $"http: 127.0.0.1:{monitorPort}");
            config.AppendLine(CultureInfo.InvariantCulture, $"jetstream {{ store_dir: \"{Path.Combine(directory, "js")}\" }}");
            if (clusterPorts.Length > 1)
            {
                var routes = string.Join(", ", clusterPorts.Select(p => $"nats-route://127.0.0.1:{p}"));
                config.AppendLine(CultureInfo.InvariantCulture, $"cluster {{ name: herald-test, listen: 127.0.0.1:{clusterPorts[index]}, routes: [{routes}] }}");
            }

            config.AppendLine(extraConfig);
            return config.ToString();
        }

        private void Capture(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }

        private string Output()
        {
            lock (_output)
            {
                var text = _output.ToString();
                return text.Length > 2000 ? text[^2000..] : text;
            }
        }
    }
}
