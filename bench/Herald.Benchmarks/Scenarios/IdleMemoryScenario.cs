using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Scenarios;

/// <summary>Scenario 3: idle connections with heartbeats; server RSS growth per connection.</summary>
public sealed class IdleMemoryScenario : Scenario
{
    private const double TargetKiB = 8;

    public override string Name => "idle";

    protected override ScenarioResult CreateResult(BenchContext context)
    {
        var s = context.Sizes;
        var result = new ScenarioResult
        {
            Name = Name,
            Title = "3. Idle memory",
            Method = Format.Inv($"{s.IdleConnections:N0} idle connections held for {s.IdleHold.TotalSeconds:0.#} s with a {s.Heartbeat.TotalSeconds:0.#} s heartbeat (server ping, client pong / SignalR ping). RSS = VmRSS of /proc/PID/status, read after a 50-connection warm-up (JIT, pools) and again at the end of the hold; growth ÷ connections. Live managed bytes (GC.GetTotalMemory after a forced full GC, read after RSS) show how much of it is objects the server keeps per connection; the rest is GC budget, native socket/TLS-free Kestrel buffers and thread stacks."),
        };
        result.Columns.AddRange(
        [
            new Column("connected", "connected", "N0"),
            new Column("rssBeforeMiB", "RSS before MiB", "0.0"),
            new Column("rssAfterMiB", "RSS after MiB", "0.0"),
            new Column("perConnectionKiB", "RSS KiB / connection", "0.00"),
            new Column("managedPerConnectionKiB", "live managed KiB / connection", "0.00"),
            new Column("cpuPerSecondPerThousand", "CPU ms/s per 1k idle", "0.00"),
        ]);
        return result;
    }

    protected override async Task MeasureAsync(BenchContext context, ServerKind kind, ServerRow row, ScenarioResult result)
    {
        var s = context.Sizes;
        await using var server = await ServerProcess.StartAsync(kind, s.Heartbeat);
        await using (var warmUp = await LoadGroup.StartAsync(server, 50, s.Heartbeat))
        {
            await Task.Delay(s.Heartbeat);
        }
        await Task.Delay(s.Settle);
        var before = server.Process.RssBytes();
        var managedBefore = await server.LiveManagedBytesAsync();
        await using var load = await LoadGroup.StartAsync(server, s.IdleConnections, s.Heartbeat);
        var cpu0 = server.Process.CpuSeconds();
        await Task.Delay(s.IdleHold);
        var cpu = server.Process.CpuSeconds() - cpu0;
        var after = server.Process.RssBytes();
        var managedAfter = await server.LiveManagedBytesAsync();
        var (report, _) = await load.ReportAsync(0, TimeSpan.Zero);
        var connected = load.Ready.Connected;
        row.Values["connected"] = connected;
        row.Values["rssBeforeMiB"] = before / 1048576.0;
        row.Values["rssAfterMiB"] = after / 1048576.0;
        row.Values["perConnectionKiB"] = connected == 0 ? double.NaN : (after - before) / 1024.0 / connected;
        row.Values["managedPerConnectionKiB"] = connected == 0 ? double.NaN : (managedAfter - managedBefore) / 1024.0 / connected;
        row.Values["cpuPerSecondPerThousand"] = connected == 0 ? double.NaN : cpu * 1000 / s.IdleHold.TotalSeconds / connected * 1000;
        row.Values["dropped"] = report.Dropped;
        row.Note = Errors(report.Errors.Concat(load.Ready.Errors));
    }

    protected override void Summarize(BenchContext context, ScenarioResult result)
    {
        result.AddRatio("perConnectionKiB", "RSS per connection");
        var herald = result.Row("herald")?.Get("perConnectionKiB") ?? double.NaN;
        result.Checks.Add(new TargetCheck("Idle memory: ≤ 8 KiB per connection", Format.Number(herald, "0.00") + " KiB", herald <= TargetKiB));
        var chart = new Chart { Title = "Idle memory per connection", YLabel = "KiB" };
        chart.Categories.Add("RSS KiB / connection");
        foreach (var row in result.Rows)
        {
            var series = new ChartSeries { Name = row.Server };
            series.Values.Add(row.Get("perConnectionKiB"));
            chart.Series.Add(series);
        }
        result.Charts.Add(chart);
    }
}
