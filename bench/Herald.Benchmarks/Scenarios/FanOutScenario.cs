using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Scenarios;

/// <summary>Scenario 1: many subscribers on one topic, 100-byte events at a fixed rate.</summary>
public sealed class FanOutScenario : Scenario
{
    public override string Name => "fanout";

    protected override ScenarioResult CreateResult(BenchContext context)
    {
        var s = context.Sizes;
        var result = new ScenarioResult
        {
            Name = Name,
            Title = "1. Fan-out",
            Method = Format.Inv($"{s.FanOutSubscribers:N0} subscribers on one topic; {s.FanOutRate:0} events/s of ~100-byte payloads for {s.FanOutDuration.TotalSeconds:0.#} s, published over HTTP on schedule by up to {Publisher.OnScheduleInFlight} concurrent requests, so every server gets the same offered rate even when it answers a publish only after fanning it out (see rate kept %). Latency = receive time − the Stopwatch timestamp in the payload (CLOCK_MONOTONIC, shared by all processes). CPU = server utime+stime from /proc/PID/stat over the publish window and drain."),
        };
        result.Columns.AddRange(
        [
            new Column("connected", "connected", "N0"),
            new Column("delivered", "delivered", "N0"),
            new Column("deliveredPct", "delivered %", "0.000"),
            new Column("rate", "deliveries/s", "N0"),
            new Column("pace", "rate kept %", "0"),
            new Column("p50", "p50 ms", "0.00"),
            new Column("p99", "p99 ms", "0.00"),
            new Column("max", "max ms", "0.00"),
            new Column("cpuPerMillion", "server CPU s / 1M deliveries", "0.00"),
            new Column("loadCpuPerMillion", "load CPU s / 1M", "0.00"),
        ]);
        return result;
    }

    protected override async Task MeasureAsync(BenchContext context, ServerKind kind, ServerRow row, ScenarioResult result)
    {
        var s = context.Sizes;
        await using var server = await ServerProcess.StartAsync(kind, s.Heartbeat);
        await using var load = await LoadGroup.StartAsync(server, s.FanOutSubscribers, s.Heartbeat);
        using var publisher = new Publisher(server);
        row.Values["connected"] = load.Ready.Connected;
        // Let the last subscriptions settle and the JIT finish before the clock starts.
        await publisher.PublishOneAsync();
        await load.ReportAsync(publisher.Published, s.Quiet);
        await Task.Delay(s.Settle / 2);

        var cpu0 = server.Process.CpuSeconds();
        var loadCpu0 = load.CpuSeconds();
        var first = publisher.Published;
        var elapsed = await publisher.PublishAsync(s.FanOutRate, s.FanOutDuration, Publisher.OnScheduleInFlight);
        var (report, latency) = await load.ReportAsync(publisher.Published, s.Quiet);
        var cpu = server.Process.CpuSeconds() - cpu0;
        var loadCpu = load.CpuSeconds() - loadCpu0;

        var expected = (double)(publisher.Published - first) * load.Ready.Connected;
        row.Values["delivered"] = report.Received;
        row.Values["deliveredPct"] = expected == 0 ? double.NaN : 100.0 * report.Received / expected;
        row.Values["rate"] = report.Received / elapsed.TotalSeconds;
        row.Values["pace"] = 100 * (publisher.Published - first) / elapsed.TotalSeconds / s.FanOutRate;
        row.Values["p50"] = latency.Percentile(0.50) / 1000;
        row.Values["p99"] = latency.Percentile(0.99) / 1000;
        row.Values["max"] = latency.Max() / 1000;
        row.Values["cpuPerMillion"] = report.Received == 0 ? double.NaN : cpu / report.Received * 1e6;
        row.Values["loadCpuPerMillion"] = report.Received == 0 ? double.NaN : loadCpu / report.Received * 1e6;
        row.Note = Errors(report.Errors.Concat(load.Ready.Errors));
    }

    protected override void Summarize(BenchContext context, ScenarioResult result)
    {
        result.AddRatio("p99", "p99 latency");
        result.AddRatio("cpuPerMillion", "CPU per delivery");
        var herald = result.Row("herald");
        var delivered = herald?.Get("deliveredPct") ?? double.NaN;
        var p99Ratio = result.Ratio("p99", "raw");
        var cpuRatio = result.Ratio("cpuPerMillion", "raw");
        result.Checks.Add(new TargetCheck("Fan-out: 100% delivered", Format.Number(delivered, "0.000") + " %", delivered >= 100));
        result.Checks.Add(new TargetCheck("Fan-out: p99 ≤ 1.5× raw p99", Format.Ratio(p99Ratio), p99Ratio <= 1.5));
        result.Checks.Add(new TargetCheck("Fan-out: CPU per delivery ≤ 1.3× raw", Format.Ratio(cpuRatio), cpuRatio <= 1.3));

        var chart = new Chart { Title = "Fan-out publish-to-receive latency", YLabel = "ms" };
        chart.Categories.AddRange(["p50", "p99", "max"]);
        foreach (var row in result.Rows)
        {
            var series = new ChartSeries { Name = row.Server };
            series.Values.AddRange([row.Get("p50"), row.Get("p99"), row.Get("max")]);
            chart.Series.Add(series);
        }
        result.Charts.Add(chart);
        var cpuChart = new Chart { Title = "Fan-out server CPU per million deliveries", YLabel = "CPU s" };
        cpuChart.Categories.Add("CPU s / 1M deliveries");
        foreach (var row in result.Rows)
        {
            var series = new ChartSeries { Name = row.Server };
            series.Values.Add(row.Get("cpuPerMillion"));
            cpuChart.Series.Add(series);
        }
        result.Charts.Add(cpuChart);
    }
}
