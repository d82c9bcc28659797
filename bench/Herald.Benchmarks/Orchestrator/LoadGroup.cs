using System.Globalization;
using System.Text.Json;
using Herald.Benchmarks.Servers;
using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>
/// Subscribers spread over several load worker processes (each holds at most
/// <see cref="MaxPerProcess"/>, well inside the 20,000 open-files cap), driven and read together.
/// </summary>
public sealed class LoadGroup : IAsyncDisposable
{
    public const int MaxPerProcess = 9000;

    private readonly List<ChildProcess> _workers;

    private LoadGroup(List<ChildProcess> workers, WorkerMessage ready)
    {
        _workers = workers;
        Ready = ready;
    }

    /// <summary>The merged ready message: how many connected and failed.</summary>
    public WorkerMessage Ready { get; }

    public IReadOnlyList<ChildProcess> Workers => _workers;

    public static async Task<LoadGroup> StartAsync(ServerProcess server, int connections, TimeSpan heartbeat, int minWorkers = 1, int drops = 0, TimeSpan? dropWindow = null, double connectTimeoutSeconds = 10)
    {
        var count = Math.Max(minWorkers, (connections + MaxPerProcess - 1) / MaxPerProcess);
        var workers = new List<ChildProcess>();
        for (var i = 0; i < count; i++)
        {
            var share = (connections / count) + (i < connections % count ? 1 : 0);
            workers.Add(ChildProcess.Start(
            [
                "load", "--kind", ServerKinds.Name(server.Kind), "--url", server.Url,
                "--connections", share.ToString(CultureInfo.InvariantCulture),
                "--source-ips", "127.0.0.2-127.0.0.9",
                "--heartbeat", heartbeat.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                "--drops", drops.ToString(CultureInfo.InvariantCulture),
                "--drop-window", (dropWindow ?? TimeSpan.FromSeconds(10)).TotalSeconds.ToString(CultureInfo.InvariantCulture),
                "--connect-timeout", connectTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ]));
        }
        var timeout = TimeSpan.FromSeconds(60 + (connections / 100.0) + connectTimeoutSeconds);
        var ready = await Task.WhenAll(workers.Select(w => ReadMessageAsync(w, timeout)));
        return new LoadGroup(workers, Merge("ready", ready));
    }

    public async Task GoAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.SendAsync("go");
        }
    }

    /// <summary>Waits until every subscriber has the first <paramref name="published"/> events (or nothing arrives for <paramref name="quiet"/>), then merges the reports.</summary>
    public async Task<(WorkerMessage Report, LatencyHistogram Latency)> ReportAsync(long published, TimeSpan quiet)
    {
        foreach (var worker in _workers)
        {
            await worker.SendAsync($"report {published.ToString(CultureInfo.InvariantCulture)} {(int)quiet.TotalMilliseconds}");
        }
        var reports = await Task.WhenAll(_workers.Select(w => ReadMessageAsync(w, quiet + TimeSpan.FromSeconds(60))));
        var histogram = new LatencyHistogram();
        foreach (var report in reports)
        {
            histogram.Add(report.Latency);
        }
        return (Merge("report", reports), histogram);
    }

    public double CpuSeconds()
    {
        return _workers.Where(w => !w.HasExited).Sum(w => w.CpuSeconds());
    }

    /// <summary>Stops one worker (its connections close) and removes it from the group.</summary>
    public async Task StopWorkerAsync(int index)
    {
        var worker = _workers[index];
        _workers.RemoveAt(index);
        await worker.SendAsync("stop");
        await worker.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            try
            {
                await worker.SendAsync("stop");
            }
            catch (IOException)
            {
                // Already gone.
            }
        }
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }
    }

    private static async Task<WorkerMessage> ReadMessageAsync(ChildProcess worker, TimeSpan timeout)
    {
        while (true)
        {
            var line = await worker.ReadLineAsync(timeout);
            if (line.StartsWith('{'))
            {
                return JsonSerializer.Deserialize<WorkerMessage>(line, BenchJson.Options)!;
            }
        }
    }

    private static WorkerMessage Merge(string kind, IReadOnlyList<WorkerMessage> messages)
    {
        return new WorkerMessage
        {
            Kind = kind,
            Connected = messages.Sum(m => m.Connected),
            Failed = messages.Sum(m => m.Failed),
            Open = messages.Sum(m => m.Open),
            Dropped = messages.Sum(m => m.Dropped),
            Received = messages.Sum(m => m.Received),
            Lost = messages.Sum(m => m.Lost),
            Duplicates = messages.Sum(m => m.Duplicates),
            OutOfOrder = messages.Sum(m => m.OutOfOrder),
            Reconnects = messages.Sum(m => m.Reconnects),
            Errors = [.. messages.SelectMany(m => m.Errors).Distinct().Take(5)],
        };
    }
}
