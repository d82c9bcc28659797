using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
namespace Herald.Testing;

/// <summary>
/// Runs <c>herald serve</c> as a real child process on a free loopback port. The test project references
/// <c>Herald.Cli</c>, so <c>herald.dll</c> is beside the tests.
/// </summary>
public sealed class ChildServer : IAsyncDisposable
{
    private readonly Process _process;

    private ChildServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Every line the process wrote to standard output so far.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>Every line the process wrote to standard error so far.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>The exit code, once the process has exited.</summary>
    public int ExitCode => _process.ExitCode;

    public static Task<ChildServer> StartAsync(params string[] args) => StartInAsync(workingDirectory: null, args);

    /// <summary>Starts the server in <paramref name="workingDirectory"/>, where it reads appsettings.json.</summary>
    public static async Task<ChildServer> StartInAsync(string? workingDirectory, IEnumerable<string> args)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "herald.dll"));
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var server = new ChildServer(process, baseAddress);
        process.OutputDataReceived += (_, e) => Collect(server.Output, e.Data);
        process.ErrorDataReceived += (_, e) => Collect(server.Errors, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Timeouts.Until(() => process.HasExited || IsHealthy(http), "the child server answers /api/health", Timeouts.Long);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} Its output:{Environment.NewLine}{server.Transcript()}", ex);
        }

        if (process.HasExited)
        {
            throw new InvalidOperationException($"herald serve exited with code {process.ExitCode} before it was healthy. Its output:{Environment.NewLine}{server.Transcript()}");
        }

        return server;
    }

    /// <summary>Kills the process with SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WithTimeout();
    }

    /// <summary>Sends SIGTERM, as systemd and container runtimes do to stop a service.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync().WithTimeout();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM exited with {kill.ExitCode}.");
        }
    }

    /// <summary>Waits for the process to exit on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WithTimeout(timeout);
        return _process.ExitCode;
    }

    /// <summary>Stops the process if it still runs, then fails if anything it wrote holds a secret (<see cref="SecretScanner"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
        SecretScanner.AssertNone(Output.Concat(Errors), "The output of herald serve");
    }

    /// <summary>The last lines the process wrote, standard error after standard output, for a failure's message.</summary>
    private string Transcript() => string.Join(Environment.NewLine, Output.TakeLast(40).Concat(Errors.TakeLast(40)));

    private static void Collect(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    private static bool IsHealthy(HttpClient http)
    {
        try
        {
            return http.GetAsync("api/health").GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
