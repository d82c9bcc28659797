using System.Diagnostics;
using Herald.Benchmarks.Orchestrator;

namespace Herald.Benchmarks.Scenarios;

/// <summary>
/// One measured point of a delivery scenario: publish a plan, wait until every subscriber has what it is owed, and
/// take what it cost. The CPU of the server processes (utime+stime of /proc/PID/stat) and of the load workers is taken
/// over the publishing and the drain, so a backlog the server works off after the last publish is counted too.
/// </summary>
internal static class Deliveries
{
    /// <summary>
    /// A step is sustained when the events went out on schedule (the last one at most 5 % late, see
    /// <see cref="PublishRun.Pace"/>), ≥ 99.9 % arrived and p99 ≤ 1 s.
    /// </summary>
    public const double MinPace = 0.95;
    public const double MinDelivered = 0.999;
    public const double MaxP99Ms = 1000;

    /// <summary>
    /// Figures of the point: offered and delivered deliveries/s, delivered %, pace %, p50/p99/max ms, server CPU µs per
    /// delivery and cores, load cores (all workers, and the busiest one), bytes read per delivery, and whether it was
    /// sustained. The load's errors (connections the server closed, with its reason) go to <paramref name="notes"/>.
    /// </summary>
    public static async Task<Dictionary<string, double>> MeasureAsync(IReadOnlyList<ChildProcess> servers, LoadGroup load, Publisher publisher, PublishPlan plan, TimeSpan quiet, double subscribersPerEvent, Reporting.Measurement? notes = null)
    {
        var clock = Stopwatch.StartNew();
        var cpu0 = servers.Sum(s => s.CpuSeconds());
        var workers0 = load.WorkerCpuSeconds();
        var run = await publisher.RunAsync(plan);
        var (report, latency, perWorker) = await load.ReportDeliveriesAsync(run.EventsPerTopic, quiet, TimeSpan.FromSeconds(30));
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = servers.Sum(s => s.CpuSeconds()) - cpu0;
        var workers = load.WorkerCpuSeconds().Zip(workers0, (a, b) => a - b).ToList();

        var expected = run.Events * subscribersPerEvent;
        var point = new Dictionary<string, double>
        {
            ["offered"] = (plan.Rate ?? 0) * subscribersPerEvent,
            ["rate"] = report.Received / run.Elapsed.TotalSeconds,
            ["delivered"] = report.Received,
            ["deliveredPct"] = expected == 0 ? double.NaN : 100.0 * report.Received / expected,
            ["pace"] = 100 * run.Pace,
            ["p50"] = latency.Percentile(0.50) / 1000,
            ["p99"] = latency.Percentile(0.99) / 1000,
            ["max"] = latency.Max() / 1000,
            ["cpuPerDelivery"] = report.Received == 0 ? double.NaN : cpu / report.Received * 1e6,
            ["serverCores"] = cpu / seconds,
            ["loadCores"] = workers.Sum() / seconds,
            ["maxWorkerCores"] = workers.DefaultIfEmpty(0).Max() / seconds,
            ["bytesPerDelivery"] = report.Received == 0 ? double.NaN : (double)report.Bytes / report.Received,
            ["publishErrors"] = run.Errors,
            ["dropped"] = report.Dropped,
        };
        if (perWorker.Length > 1)
        {
            // Each worker's own percentiles: with several nodes, worker i holds node i's subscribers.
            for (var i = 0; i < perWorker.Length; i++)
            {
                var own = new Shared.LatencyHistogram();
                own.Add(perWorker[i].Latency);
                point[$"p50w{i}"] = own.Percentile(0.50) / 1000;
                point[$"p99w{i}"] = own.Percentile(0.99) / 1000;
            }
        }
        point["sustained"] = point["pace"] >= MinPace * 100 && point["deliveredPct"] >= MinDelivered * 100 && point["p99"] <= MaxP99Ms && run.Errors == 0 ? 1 : 0;
        if (run.FirstError is not null)
        {
            point["publishFailed"] = 1;
            notes?.AddNote("publishing failed: " + run.FirstError);
        }
        foreach (var error in report.Errors)
        {
            // Errors are cumulative in a worker: note each once.
            if (notes is not null && notes.Note?.Contains(error, StringComparison.Ordinal) != true)
            {
                notes.AddNote(Reporting.Format.Inv($"subscribers: {error} ({report.Dropped:N0} dropped so far)"));
            }
        }
        return point;
    }
}
