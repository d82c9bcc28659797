using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>
/// A child process of the suite (a server or a load worker); stdout lines arrive on a channel, and its CPU and memory
/// are read from /proc.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet Herald.Benchmarks.dll ARGS</c>, optionally with a lower open-files limit and extra environment.</summary>
    public static ChildProcess Start(IReadOnlyList<string> args, int? openFilesLimit = null, IReadOnlyDictionary<string, string>? environment = null)
        => StartProgram(DotnetHost(), [typeof(Program).Assembly.Location, .. args], openFilesLimit, environment);

    /// <summary>Starts <paramref name="program"/> with <paramref name="args"/>, optionally with a lower open-files limit and extra environment.</summary>
    public static ChildProcess StartProgram(string program, IReadOnlyList<string> args, int? openFilesLimit = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        List<string> command = [program, .. args];
        if (openFilesLimit is { } limit)
        {
            // The shell lowers the soft limit and then becomes the server, so the pid stays the same.
            info.FileName = "/bin/sh";
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("ulimit -n " + limit.ToString(CultureInfo.InvariantCulture) + " && exec \"$0\" \"$@\"");
        }
        else
        {
            info.FileName = command[0];
            command.RemoveAt(0);
        }
        foreach (var arg in command)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + info.FileName);
        var child = new ChildProcess(process);
        _ = Task.Run(child.PumpStdoutAsync);
        _ = Task.Run(child.PumpStderrAsync);
        return child;
    }

    /// <summary>The next stdout line, or an exception naming the child's stderr when it died or timed out.</summary>
    public async Task<string> ReadLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _lines.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"child {Id} said nothing for {timeout.TotalSeconds:0} s; stderr: {Stderr()}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"child {Id} exited; stderr: {Stderr()}");
        }
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>User plus system CPU time so far, in seconds (utime+stime of /proc/PID/stat).</summary>
    public double CpuSeconds()
    {
        if (!TryRead($"/proc/{Id}/stat", out var stat))
        {
            return double.NaN;
        }
        // Fields after the command name, which is in parentheses and may contain spaces.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / (double)ClockTicksPerSecond;
    }

    /// <summary>Resident set size in bytes (VmRSS of /proc/PID/status).</summary>
    public long RssBytes()
    {
        if (!TryRead($"/proc/{Id}/status", out var status))
        {
            return 0;
        }
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    public int OpenFiles()
    {
        try
        {
            return Directory.GetFileSystemEntries($"/proc/{Id}/fd").Length;
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>Reads a /proc file; false once the process has exited (a crashed server is a finding, not a harness error).</summary>
    private static bool TryRead(string path, out string text)
    {
        try
        {
            text = File.ReadAllText(path);
            return true;
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException or IOException)
        {
            text = "";
            return false;
        }
    }

    public string Stderr()
    {
        lock (_stderr)
        {
            var text = _stderr.ToString();
            return text.Length > 2000 ? text[^2000..] : text;
        }
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
    }

    /// <summary>Closes stdin (the child's signal to stop), waits a little, then kills it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    // USER_HZ is 100 on every Linux ABI .NET runs on.
    private const int ClockTicksPerSecond = 100;

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    private async Task PumpStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            await _lines.Writer.WriteAsync(line);
        }
        _lines.Writer.TryComplete();
    }

    private async Task PumpStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_stderr)
            {
                _stderr.AppendLine(line);
            }
        }
    }
}
