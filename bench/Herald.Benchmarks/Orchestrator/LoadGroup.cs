using System.Globalization;
using System.Text.Json;
using Herald.Benchmarks.Servers;
using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Orchestrator;

/// <summary>How a <see cref="LoadGroup"/> connects its subscribers.</summary>
public sealed record LoadSpec
{
    public required ServerKind Kind { get; init; }

    /// <summary>Server URLs per worker process: worker i uses <c>Urls[i % Urls.Count]</c>, the first URL first and the others to fail over.</summary>
    public required IReadOnlyList<IReadOnlyList<Uri>> Urls { get; init; }

    public required int Connections { get; init; }

    /// <summary>Worker processes; 0 picks: one for up to 2,000 subscribers, else one per core, and more when the open-files cap needs them.</summary>
    public int Workers { get; init; }

    /// <summary>Topics <c>t0</c>…, subscriber i on topic i mod n (0 or 1: all on <c>bench</c>).</summary>
    public int Topics { get; init; }

    public long? Since { get; init; }

    /// <summary>Sequence numbers <see cref="TrackFrom"/>… (n of them) tracked one by one for loss and duplicates.</summary>
    public int Track { get; init; }

    public long TrackFrom { get; init; }

    public bool Reconnect { get; init; }

    public int Drops { get; init; }

    public TimeSpan DropWindow { get; init; } = TimeSpan.FromSeconds(10);

    public double ConnectTimeoutSeconds { get; init; } = 10;

    public int Concurrency { get; init; } = 200;

    public static LoadSpec For(ServerProcess server, int connections, int workers = 0)
        => new() { Kind = server.Kind, Urls = [[server.Url]], Connections = connections, Workers = workers };
}

/// <summary>
/// Subscribers spread over several load worker processes (each holds at most <see cref="MaxPerProcess"/>, well inside
/// the 20,000 open-files cap, and drives its sockets from one epoll thread), driven and read together.
/// </summary>
public sealed class LoadGroup : IAsyncDisposable
{
    public const int MaxPerProcess = 9500;

    private readonly LoadSpec _spec;
    private readonly List<Worker> _workers;

    private LoadGroup(LoadSpec spec, List<Worker> workers)
    {
        _spec = spec;
        _workers = workers;
    }

    /// <summary>The merged ready message of the latest connect phase: how many connected and failed.</summary>
    public WorkerMessage Ready { get; private set; } = new();

    public int Connected => Ready.Connected;

    public IReadOnlyList<ChildProcess> Processes => [.. _workers.Select(w => w.Process)];

    public static async Task<LoadGroup> StartAsync(LoadSpec spec)
    {
        var count = spec.Workers > 0 ? spec.Workers
            : spec.Connections <= 2000 ? 1
            : Math.Max(Environment.ProcessorCount, (spec.Connections + MaxPerProcess - 1) / MaxPerProcess);
        var workers = new List<Worker>();
        var next = 0;
        for (var i = 0; i < count; i++)
        {
            var share = (spec.Connections / count) + (i < spec.Connections % count ? 1 : 0);
            var urls = spec.Urls[i % spec.Urls.Count];
            List<string> args =
            [
                "load", "--kind", ServerKinds.Name(spec.Kind),
                "--urls", string.Join(',', urls.Select(u => u.ToString().TrimEnd('/'))),
                "--connections", Inv(share), "--first-index", Inv(next), "--topics", Inv(spec.Topics),
                "--source-ips", "127.0.0.2-127.0.0.9", "--concurrency", Inv(spec.Concurrency),
                "--connect-timeout", spec.ConnectTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
                "--drops", Inv(spec.Drops), "--drop-window", spec.DropWindow.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                "--track", Inv(spec.Track), "--track-from", Inv(spec.TrackFrom),
            ];
            if (spec.Since is { } since)
            {
                args.AddRange(["--since", since.ToString(CultureInfo.InvariantCulture)]);
            }
            if (spec.Reconnect)
            {
                args.Add("--reconnect");
            }
            var worker = new Worker(ChildProcess.Start(args));
            worker.Ranges.Add((next, share));
            next += share;
            workers.Add(worker);
        }
        var group = new LoadGroup(spec, workers);
        try
        {
            var timeout = TimeSpan.FromSeconds(60 + (spec.Connections / 100.0) + spec.ConnectTimeoutSeconds);
            group.Ready = Merge("ready", await Task.WhenAll(workers.Select(w => ReadMessageAsync(w.Process, timeout))));
        }
        catch
        {
            await group.DisposeAsync();
            throw;
        }
        return group;
    }

    /// <summary>Adds subscribers until the group has <paramref name="total"/> (spread evenly over the workers).</summary>
    public async Task GrowToAsync(int total)
    {
        var current = _workers.Sum(w => w.Ranges.Sum(r => r.Count));
        var more = total - current;
        if (more <= 0)
        {
            return;
        }
        var next = current;
        for (var i = 0; i < _workers.Count; i++)
        {
            var share = (more / _workers.Count) + (i < more % _workers.Count ? 1 : 0);
            if (share == 0)
            {
                continue;
            }
            _workers[i].Ranges.Add((next, share));
            await _workers[i].Process.SendAsync($"add {Inv(share)} {Inv(next)}");
            next += share;
        }
        var timeout = TimeSpan.FromSeconds(60 + (more / 100.0) + _spec.ConnectTimeoutSeconds);
        Ready = Merge("ready", await Task.WhenAll(_workers.Select(w => ReadMessageAsync(w.Process, timeout))));
    }

    public async Task GoAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.Process.SendAsync("go");
        }
    }

    /// <summary>Every subscriber reconnects at once with <c>since</c> (see <see cref="Load.EventLoop.Storm"/>).</summary>
    public async Task StormAsync(long since, long firstSeq, int trackSize, int concurrency)
    {
        foreach (var worker in _workers)
        {
            await worker.Process.SendAsync($"storm {Inv(since)} {Inv(firstSeq)} {Inv(trackSize)} {Inv(concurrency)}");
        }
    }

    /// <summary>Current counts without resetting anything (open, live, when the last went live).</summary>
    public async Task<WorkerMessage[]> StatusAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.Process.SendAsync("status");
        }
        return await Task.WhenAll(_workers.Select(w => ReadMessageAsync(w.Process, TimeSpan.FromSeconds(30))));
    }

    /// <summary>
    /// Waits until each worker has the deliveries a run of <paramref name="eventsPerTopic"/> owes its subscribers (or
    /// nothing arrives for <paramref name="quiet"/>), then merges the reports.
    /// </summary>
    public Task<(WorkerMessage Report, LatencyHistogram Latency, WorkerMessage[] PerWorker)> ReportDeliveriesAsync(long[] eventsPerTopic, TimeSpan quiet, TimeSpan? max = null)
        => ReportAsync(w => $"report deliveries {Inv(Expected(w, eventsPerTopic))} {Ms(quiet)} {Ms(max ?? TimeSpan.FromSeconds(30))}", quiet, max);

    /// <summary>Waits until every subscriber has sequence number <paramref name="seq"/> (or nothing arrives for <paramref name="quiet"/>); lost counts are up to it.</summary>
    public Task<(WorkerMessage Report, LatencyHistogram Latency, WorkerMessage[] PerWorker)> ReportSeqAsync(long seq, TimeSpan quiet, TimeSpan? max = null)
        => ReportAsync(_ => $"report seq {Inv(seq)} {Ms(quiet)} {Ms(max ?? TimeSpan.FromSeconds(30))}", quiet, max);

    public double CpuSeconds() => _workers.Where(w => !w.Process.HasExited).Sum(w => w.Process.CpuSeconds());

    /// <summary>Each worker's CPU seconds so far, to find one that ran out of its core.</summary>
    public double[] WorkerCpuSeconds() => [.. _workers.Select(w => w.Process.HasExited ? 0 : w.Process.CpuSeconds())];

    /// <summary>Stops one worker (its connections close) and removes it from the group.</summary>
    public async Task StopWorkerAsync(int index)
    {
        var worker = _workers[index];
        _workers.RemoveAt(index);
        await worker.Process.SendAsync("stop");
        await worker.Process.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            try
            {
                await worker.Process.SendAsync("stop");
            }
            catch (IOException)
            {
                // Already gone.
            }
        }
        foreach (var worker in _workers)
        {
            await worker.Process.DisposeAsync();
        }
    }

    public static WorkerMessage Merge(string kind, IReadOnlyList<WorkerMessage> messages)
        => new()
        {
            Kind = kind,
            Connected = messages.Sum(m => m.Connected),
            Failed = messages.Sum(m => m.Failed),
            Open = messages.Sum(m => m.Open),
            Live = messages.Sum(m => m.Live),
            LastLiveAt = messages.Count == 0 ? 0 : messages.Max(m => m.LastLiveAt),
            Dropped = messages.Sum(m => m.Dropped),
            Received = messages.Sum(m => m.Received),
            Bytes = messages.Sum(m => m.Bytes),
            Lost = messages.Sum(m => m.Lost),
            Duplicates = messages.Sum(m => m.Duplicates),
            OutOfOrder = messages.Sum(m => m.OutOfOrder),
            Reconnects = messages.Sum(m => m.Reconnects),
            LastReconnectAt = messages.Count == 0 ? 0 : messages.Max(m => m.LastReconnectAt),
            Losses = messages.Sum(m => m.Losses),
            FirstLossAt = messages.Where(m => m.FirstLossAt > 0).Select(m => m.FirstLossAt).DefaultIfEmpty(0).Min(),
            Errors = [.. messages.SelectMany(m => m.Errors).Distinct().Take(5)],
        };

    private async Task<(WorkerMessage Report, LatencyHistogram Latency, WorkerMessage[] PerWorker)> ReportAsync(Func<Worker, string> command, TimeSpan quiet, TimeSpan? max)
    {
        foreach (var worker in _workers)
        {
            await worker.Process.SendAsync(command(worker));
        }
        var wait = quiet + (max ?? TimeSpan.FromSeconds(30)) + TimeSpan.FromSeconds(60);
        var reports = await Task.WhenAll(_workers.Select(w => ReadMessageAsync(w.Process, wait)));
        var histogram = new LatencyHistogram();
        foreach (var report in reports)
        {
            histogram.Add(report.Latency);
        }
        return (Merge("report", reports), histogram, reports);
    }

    /// <summary>Deliveries a worker's subscribers are owed: each subscriber gets the events of its topic.</summary>
    private long Expected(Worker worker, long[] eventsPerTopic)
    {
        long expected = 0;
        foreach (var (first, count) in worker.Ranges)
        {
            for (var index = first; index < first + count; index++)
            {
                expected += eventsPerTopic[_spec.Topics <= 1 ? 0 : index % _spec.Topics];
            }
        }
        return expected;
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

    private static string Inv(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Ms(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    private sealed class Worker(ChildProcess process)
    {
        public ChildProcess Process { get; } = process;

        /// <summary>The global indexes of its subscribers, as (first, count) ranges.</summary>
        public List<(int First, int Count)> Ranges { get; } = [];
    }
}
