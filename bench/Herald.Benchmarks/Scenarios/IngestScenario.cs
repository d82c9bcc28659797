using System.Diagnostics;
using System.Text;
using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Servers;
using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Scenarios;

/// <summary>Scenario 5: HTTP publishing with concurrent keep-alive publishers, single events and batches.</summary>
public sealed class IngestScenario : Scenario
{
    public override string Name => "ingest";

    protected override ScenarioResult CreateResult(BenchContext context)
    {
        var s = context.Sizes;
        var result = new ScenarioResult
        {
            Name = Name,
            Title = "5. Ingest",
            Method = Format.Inv($"{s.IngestPublishers} concurrent keep-alive HTTP publishers (one polling thread drives them all, as wrk does) for {s.IngestDuration.TotalSeconds:0.#} s each: single events, then batches of {s.IngestBatch}. Herald: POST /api/events into SQLite (durable, synchronous=FULL, group commit) in a temp directory; counted when acknowledged (201). The references have no store: their POST /publish only broadcasts (to no subscribers), so their rows are an upper bound for an HTTP endpoint on this machine, not a like-for-like store."),
        };
        result.Columns.AddRange(
        [
            new Column("single", "single events/s", "N0"),
            new Column("singleP99", "single p99 ms", "0.00"),
            new Column("singleCpu", "single server CPU µs/event", "0.0"),
            new Column("batched", "batched events/s", "N0"),
            new Column("batchedP99", "batch p99 ms", "0.00"),
            new Column("batchedCpu", "batch server CPU µs/event", "0.00"),
            new Column("errors", "errors", "N0"),
        ]);
        return result;
    }

    protected override async Task MeasureAsync(BenchContext context, ServerKind kind, ServerRow row, ScenarioResult result)
    {
        var s = context.Sizes;
        var directory = Path.Combine(context.TempDirectory, "ingest-" + ServerKinds.Name(kind));
        Directory.CreateDirectory(directory);
        var store = kind == ServerKind.Herald ? "sqlite" : "memory";
        await using var process = await ServerProcess.StartAsync(kind, s.Heartbeat, store, Path.Combine(directory, "herald.db"));
        var single = Encoding.UTF8.GetBytes(ServerKinds.WrapForPublish(kind, Payload.Create(0)));
        var batch = Encoding.UTF8.GetBytes(Payload.CreateBatch(0, s.IngestBatch, p => ServerKinds.WrapForPublish(kind, p)));
        var server = new Uri(process.Url);
        var path = ServerKinds.PublishPath(kind);

        await RunAsync(process.Process, server, path, single, 1, s.IngestPublishers, TimeSpan.FromSeconds(context.Quick ? 0.3 : 2));
        var singles = await RunAsync(process.Process, server, path, single, 1, s.IngestPublishers, s.IngestDuration);
        var batches = await RunAsync(process.Process, server, path, batch, s.IngestBatch, s.IngestPublishers, s.IngestDuration);
        row.Values["single"] = singles.Rate;
        row.Values["singleP99"] = singles.P99;
        row.Values["singleCpu"] = singles.CpuPerEvent;
        row.Values["batched"] = batches.Rate;
        row.Values["batchedP99"] = batches.P99;
        row.Values["batchedCpu"] = batches.CpuPerEvent;
        row.Values["errors"] = singles.Errors + batches.Errors;
    }

    protected override void Summarize(BenchContext context, ScenarioResult result)
    {
        result.AddRatio("single", "Single events/s");
        result.AddRatio("batched", "Batched events/s");
        var herald = result.Row("herald");
        var single = herald?.Get("single") ?? double.NaN;
        var batched = herald?.Get("batched") ?? double.NaN;
        result.Checks.Add(new TargetCheck("Ingest: ≥ 20,000 events/s single", Format.Number(single, "N0"), single >= 20_000));
        result.Checks.Add(new TargetCheck("Ingest: ≥ 200,000 events/s batched", Format.Number(batched, "N0"), batched >= 200_000));
        var chart = new Chart { Title = "Ingest: acknowledged events/s", YLabel = "events/s" };
        chart.Categories.AddRange(["single", "batch"]);
        foreach (var row in result.Rows)
        {
            var series = new ChartSeries { Name = row.Server };
            series.Values.AddRange([row.Get("single"), row.Get("batched")]);
            chart.Series.Add(series);
        }
        result.Charts.Add(chart);
    }

    /// <summary>
    /// Publishers each hold one keep-alive connection and send one request at a time until the time is up; one
    /// <see cref="PublisherLoop"/> thread drives them all. Returns events/s, p99 and errors (non-2xx answers and
    /// broken connections, which are reopened) and the server's CPU time per acknowledged event in microseconds.
    /// The load shares the server's cores, so the CPU figure says what an event costs each server where the rate
    /// alone mixes that with how much CPU the machine had to spare.
    /// </summary>
    private static async Task<(double Rate, double P99, long Errors, double CpuPerEvent)> RunAsync(ChildProcess serverProcess, Uri server, string path, byte[] body, int eventsPerRequest, int publishers, TimeSpan duration)
    {
        var latency = new LatencyHistogram();
        var loop = new PublisherLoop(server, path, body, publishers, latency);
        var cpu0 = serverProcess.CpuSeconds();
        var clock = Stopwatch.StartNew();
        await Task.Factory.StartNew(() => loop.Run(clock, duration), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var cpu = serverProcess.CpuSeconds() - cpu0;
        var events = (double)loop.Acknowledged * eventsPerRequest;
        return (events / clock.Elapsed.TotalSeconds, latency.Percentile(0.99) / 1000, loop.Errors, events == 0 ? double.NaN : cpu / events * 1e6);
    }
}
