using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Scenarios;

/// <summary>
/// Ingest: concurrent publishers in a closed loop, each waiting for its acknowledgement, single events and batches,
/// over keep-alive HTTP and over Herald's WebSocket; Herald durable (SQLite, default synchronous) and in memory, against
/// the raw Kestrel endpoint that does the same HTTP work without a store.
/// </summary>
public sealed class IngestScenario : Scenario
{
    private static readonly string[] Phases = ["httpSingle", "httpBatch", "wsSingle", "wsBatch"];

    public override string Name => "ingest";

    public override string Title => "4. Ingest";

    protected override int RoundsFor(BenchContext context) => context.Rounds;

    protected override IReadOnlyList<ServerSpec> ServersFor(BenchContext context)
        => [.. context.Servers.Where(s => s == ServerSpec.Herald || s == ServerSpec.HeraldMemory || s == ServerSpec.Raw)];

    protected override string Describe(BenchContext context)
    {
        var s = context.Sizes;
        return Format.Inv($"{s.IngestPublishers} publishers, each with one keep-alive connection and one request in flight, all driven by one thread that resends on each whole answer (as wrk does), for {s.IngestDuration.TotalSeconds:0.#} s per phase after a warm-up: single events, then batches of {s.IngestBatch}, over HTTP (POST /api/events) and over Herald's WebSocket (publish frames answered by published). Counted when acknowledged: Herald answers once the events are stored (SQLite: committed with synchronous=FULL, an fsync per group commit). **raw** is the raw Kestrel endpoint doing the same HTTP work with no store: it parses the body with System.Text.Json, checks each event's topic and type, copies its data, numbers it and answers 201 with the ids, as Herald does. CPU = server utime+stime per acknowledged event. {RoundsFor(context)} interleaved round(s).");
    }

    protected override async Task MeasureAsync(BenchContext context, ServerSpec spec, Measurement m, ScenarioResult result)
    {
        var s = context.Sizes;
        await using var server = await ServerProcess.StartAsync(spec, context.ServerStart());
        // The raw endpoint takes Herald's body at Herald's path, so both get the same requests.
        using var http = new Publisher(ServerKind.Herald, [server.Url], s.IngestPublishers, PublishChannel.Http);
        await http.RunAsync(new PublishPlan { Duration = context.Quick ? TimeSpan.FromSeconds(0.2) : TimeSpan.FromSeconds(2) });
        IReadOnlyList<ChildProcess> processes = [server.Process];
        await MeasurePhaseAsync(processes, http, 1, s.IngestDuration, m, "httpSingle");
        await MeasurePhaseAsync(processes, http, s.IngestBatch, s.IngestDuration, m, "httpBatch");
        if (spec.Kind == ServerKind.Herald)
        {
            using var ws = new Publisher(ServerKind.Herald, [server.Url], s.IngestPublishers, PublishChannel.WebSocket);
            await MeasurePhaseAsync(processes, ws, 1, s.IngestDuration, m, "wsSingle");
            await MeasurePhaseAsync(processes, ws, s.IngestBatch, s.IngestDuration, m, "wsBatch");
        }
    }

    /// <summary>
    /// One closed-loop phase: acknowledged events/s, p99 of the round trips, and the CPU of <paramref name="processes"/>
    /// (every server process of the row) per acknowledged event, as <c>PHASE</c>, <c>PHASEP99</c>, <c>PHASECpu</c>.
    /// </summary>
    internal static async Task MeasurePhaseAsync(IReadOnlyList<ChildProcess> processes, Publisher publisher, int batch, TimeSpan duration, Measurement m, string phase)
    {
        var cpu0 = processes.Sum(p => p.CpuSeconds());
        var run = await publisher.RunAsync(new PublishPlan { Duration = duration, Batch = batch });
        var cpu = processes.Sum(p => p.CpuSeconds()) - cpu0;
        m.Values[phase] = run.EventsPerSecond;
        m.Values[phase + "P99"] = run.Latency.Percentile(0.99) / 1000;
        m.Values[phase + "Cpu"] = run.Events == 0 ? double.NaN : cpu / run.Events * 1e6;
        m.Values[phase + "Errors"] = run.Errors;
        if (run.FirstError is not null)
        {
            m.AddNote(phase + ": " + run.FirstError);
        }
        BenchContext.Log(Format.Inv($"  {m.Server} {phase}: {run.EventsPerSecond:N0} events/s, p99 {m.Values[phase + "P99"]:0.00} ms, {m.Values[phase + "Cpu"]:0.0} µs CPU/event, {run.Errors} errors"));
    }

    protected override void Summarize(BenchContext context, ScenarioResult result)
    {
        var servers = result.Measurements.Select(m => m.Server).Distinct().ToList();
        var table = new Table
        {
            Headers =
            [
                "server",
                "HTTP single events/s", "p99 ms", "CPU µs/event",
                $"HTTP batch of {context.Sizes.IngestBatch} events/s", "p99 ms", "CPU µs/event",
                "WebSocket single events/s", "p99 ms", "CPU µs/event",
                $"WebSocket batch of {context.Sizes.IngestBatch} events/s", "p99 ms", "CPU µs/event",
                "errors",
            ],
        };
        foreach (var server in servers)
        {
            List<string> row = [server];
            foreach (var phase in Phases)
            {
                row.Add(result.Spread(server, phase).Format("N0"));
                row.Add(result.Spread(server, phase + "P99").Format("0.00"));
                row.Add(result.Spread(server, phase + "Cpu").Format("0.0"));
            }
            row.Add(Format.Number(result.Of(server).Sum(m => Phases.Sum(p => double.IsNaN(m.Get(p + "Errors")) ? 0 : m.Get(p + "Errors"))), "N0"));
            table.Rows.Add(row);
        }
        result.Tables.Add(table);

        if (result.Of("herald").Any())
        {
            result.Checks.Add(TargetCheck.ForRatios("Ingest: durable single-event HTTP ≥ 0.8× the raw endpoint's events/s", result.RatiosByRound("herald", "raw", "httpSingle"), 0.8, atMost: false,
                "herald " + result.Spread("herald", "httpSingle").Format("N0") + " events/s, raw " + result.Spread("raw", "httpSingle").Format("N0")));
            var batched = result.Of("herald").Select(m => m.Get("httpBatch") / 1_000_000).ToList();
            result.Checks.Add(TargetCheck.ForRatios("Ingest: batched durable ≥ 1M events/s", batched, 1.0, atMost: false, "in millions of events/s over HTTP; over the WebSocket " + result.Spread("herald", "wsBatch").Format("N0") + " events/s"));
            foreach (var phase in Phases)
            {
                foreach (var server in servers.Where(s => s.StartsWith("herald", StringComparison.Ordinal)))
                {
                    FanOutScenario.Add(result, $"ingest.{server}.{phase}", $"{server}: ingest {phase} events/s", result.Spread(server, phase), higherIsBetter: true);
                }
            }
        }

        var chart = new Chart { Title = "Ingest: acknowledged events/s (median)", YLabel = "events/s (log)", LogY = true };
        chart.Categories.AddRange(["HTTP single", "HTTP batch", "WebSocket single", "WebSocket batch"]);
        foreach (var server in servers)
        {
            var series = new ChartSeries { Name = server };
            series.Values.AddRange(Phases.Select(p => result.Spread(server, p).Median));
            chart.Series.Add(series);
        }
        result.Charts.Add(chart);
    }
}
