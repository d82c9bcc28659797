using System.Diagnostics;
using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Scenarios;

/// <summary>
/// Fill Herald's process to its open-files limit, hold with heartbeats, push past the limit, then free some
/// connections and check it accepts again.
/// </summary>
public sealed class ScaleScenario : Scenario
{
    // File descriptors left for what the server opens on its own after start (timers, the GC, logs).
    private const int Headroom = 40;

    public override string Name => "scale";

    public override string Title => "6. Scale: one process at the open-files limit";

    protected override IReadOnlyList<ServerSpec> ServersFor(BenchContext context) => HeraldOnly(context);

    protected override string Describe(BenchContext context)
    {
        var s = context.Sizes;
        return Format.Inv($"Herald runs with an open-files limit of {s.ScaleOpenFiles:N0} (the machine's hard cap in a full run). Connections fill it to limit − the server's own descriptors − {Headroom}, spread over 2 load processes; held {s.ScaleHold.TotalSeconds:0.#} s with heartbeats and 1 event/s to every connection. Then {s.ScaleOverflow:N0} more connections are attempted (timeout counts as refused) while events keep flowing to the held ones; delivery and p99 during these attempts expose a stall. CPU is then watched for 3 s with no events and no attempts, and {s.ScaleOverflow:N0} more attempts are made in that quiet, so their CPU is measured against the heartbeats' alone. A busy accept loop shows as CPU per refused attempt well above the CPU per accepted connection (measured during the fill), or as CPU that stays up after the attempts stop. Finally one load process disconnects and {s.ScaleRecovery:N0} new connections must succeed. (The references were measured this way in the 2026-11-28 run: raw Kestrel and SignalR ran out of memory past the limit; the fan-out at 19,000 clients covers them here.)");
    }

    protected override async Task MeasureAsync(BenchContext context, ServerSpec spec, Measurement row, ScenarioResult result)
    {
        var s = context.Sizes;
        await using var server = await ServerProcess.StartAsync(spec, context.ServerStart(s.ScaleOpenFiles));
        using var publisher = Publisher.For(server, connections: 1);
        await publisher.PublishOneAsync();
        var baseFds = server.Process.OpenFiles();
        var rss0 = server.Process.RssBytes();
        var target = s.ScaleOpenFiles - baseFds - Headroom;
        var connectClock = Stopwatch.StartNew();
        var fillCpu0 = server.Process.CpuSeconds();
        await using var held = await LoadGroup.StartAsync(LoadSpec.For(server, target, workers: 2));
        var connectSeconds = connectClock.Elapsed.TotalSeconds;
        var count = held.Ready.Connected;
        var acceptCpuMs = (server.Process.CpuSeconds() - fillCpu0) * 1000 / Math.Max(1, count);
        row.Values["acceptCpuMs"] = acceptCpuMs;
        row.Values["held"] = count;
        row.Values["target"] = target;
        row.Values["connectPerSecond"] = count / connectSeconds;

        // Hold: heartbeats plus one event a second, which every held connection must receive.
        var cpu0 = server.Process.CpuSeconds();
        var first = publisher.Published;
        var holdRun = await publisher.RunAsync(PublishPlan.OnSchedule(1, s.ScaleHold));
        var holdElapsed = holdRun.Elapsed;
        var (hold, _, _) = await held.ReportDeliveriesAsync(holdRun.EventsPerTopic, s.Quiet);
        var holdCpu = server.Process.CpuSeconds() - cpu0;
        var rss1 = server.Process.RssBytes();
        row.Values["holdDeliveredPct"] = Percent(hold.Received, (publisher.Published - first) * (double)count);
        row.Values["rssPerConnKiB"] = (rss1 - rss0) / 1024.0 / Math.Max(1, count);
        row.Values["holdCpuPerThousand"] = holdCpu * 1000 / holdElapsed.TotalSeconds / Math.Max(1, count) * 1000;
        row.Values["fdsAtLimit"] = server.Process.OpenFiles();

        // Overflow: connections past the limit while events keep flowing to the held ones.
        var overflowFirst = publisher.Published;
        var cpu1 = server.Process.CpuSeconds();
        var overflowClock = Stopwatch.StartNew();
        using var stopPublishing = new CancellationTokenSource();
        var publishing = PublishUntilAsync(publisher, row, stopPublishing.Token);
        var connectTimeout = context.Quick ? 2 : 5;
        // The quick mode only walks the path: shorter pauses.
        var pause = context.Quick ? 0.25 : 1.0;
        await using (var overflow = await LoadGroup.StartAsync(LoadSpec.For(server, s.ScaleOverflow) with { ConnectTimeoutSeconds = connectTimeout }))
        {
            row.Values["overflowAccepted"] = overflow.Ready.Connected;
            row.Values["overflowRefused"] = overflow.Ready.Failed;
            row.AddNote(Errors(overflow.Ready.Errors.Take(2).Select(e => "past limit: " + e)));
            await Task.Delay(TimeSpan.FromSeconds(pause));
        }
        await stopPublishing.CancelAsync();
        await publishing;
        var (during, duringLatency, _) = await held.ReportDeliveriesAsync([publisher.Published - overflowFirst], s.Quiet);
        var overflowCpu = server.Process.CpuSeconds() - cpu1;
        row.Values["overflowCores"] = overflowCpu / overflowClock.Elapsed.TotalSeconds;

        // A busy accept loop keeps burning after the attempts stop. Only watch: at the limit the server may
        // refuse the publisher's next connection too.
        var holdCores = holdCpu / holdElapsed.TotalSeconds;
        var afterCpu0 = server.Process.CpuSeconds();
        var afterClock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(3 * pause));
        var afterCores = (server.Process.CpuSeconds() - afterCpu0) / afterClock.Elapsed.TotalSeconds;
        row.Values["afterCores"] = afterCores;
        row.Values["holdCores"] = holdCores;

        // A busy accept loop also costs far more per refused attempt than accepting costs; an honest refusal
        // costs about what a connection does. Measured in the quiet just watched: one event's fan-out to every
        // held connection costs more than all the attempts together, so windows with events are too noisy.
        row.Values["refuseCpuMs"] = await MeasureRefusalCpuMsAsync(server, s.ScaleOverflow, connectTimeout, afterCores, pause);
        row.Values["overflowDeliveredPct"] = Percent(during.Received, (publisher.Published - overflowFirst) * (double)count);
        row.Values["overflowP99"] = duringLatency.Percentile(0.99) / 1000;

        // Recovery: free one load process's connections, then new clients must get in.
        var openBefore = during.Open;
        var dropped = during.Dropped;
        await held.StopWorkerAsync(0);
        await Task.Delay(TimeSpan.FromSeconds(2 * pause));
        await using (var recovery = await LoadGroup.StartAsync(LoadSpec.For(server, s.ScaleRecovery)))
        {
            row.Values["recovered"] = recovery.Ready.Connected;
        }
        row.Values["alive"] = await server.IsHealthyAsync() ? 1 : 0;
        if (server.Process.HasExited)
        {
            row.AddNote("SERVER EXITED; stderr: " + server.Process.Stderr().Trim());
        }
        row.Values["dropped"] = Math.Max(dropped, count - openBefore);

        var perConnBytes = (rss1 - rss0) / (double)Math.Max(1, count);
        var cores = holdCpu / holdElapsed.TotalSeconds / Math.Max(1, count);
        foreach (var n in new[] { 100_000, 1_000_000 })
        {
            result.Notes.Add(Format.Inv($"{row.Server}: extrapolated to {n:N0} connections/node: RSS ≈ {(rss0 + (perConnBytes * n)) / 1073741824.0:0.00} GiB, idle CPU ≈ {cores * n:0.00} cores (heartbeat every {s.Heartbeat.TotalSeconds:0} s)."));
        }
    }

    protected override void Summarize(BenchContext context, ScenarioResult result)
    {
        var herald = result.Of("herald").FirstOrDefault();
        if (herald is null)
        {
            return;
        }
        var table = new Table { Headers = ["server", "held", "dropped", "delivered % (hold)", "RSS KiB / conn", "CPU ms/s per 1k conns", "past limit: accepted", "refused", "CPU ms per accepted conn", "CPU ms per refused attempt", "cores holding", "cores after overflow", "delivered % (overflow)", "p99 ms (overflow)", "recovered", "alive"] };
        foreach (var m in result.Measurements)
        {
            table.Rows.Add(
            [
                m.Server, Format.Number(m.Get("held"), "N0"), Format.Number(m.Get("dropped"), "N0"), Format.Number(m.Get("holdDeliveredPct"), "0.00"),
                Format.Number(m.Get("rssPerConnKiB"), "0.00"), Format.Number(m.Get("holdCpuPerThousand"), "0.00"), Format.Number(m.Get("overflowAccepted"), "N0"),
                Format.Number(m.Get("overflowRefused"), "N0"), Format.Number(m.Get("acceptCpuMs"), "0.00"), Format.Number(m.Get("refuseCpuMs"), "0.00"),
                Format.Number(m.Get("holdCores"), "0.00"), Format.Number(m.Get("afterCores"), "0.00"), Format.Number(m.Get("overflowDeliveredPct"), "0.00"),
                Format.Number(m.Get("overflowP99"), "0.0"), Format.Number(m.Get("recovered"), "N0"), Format.Number(m.Get("alive"), "0"),
            ]);
        }
        result.Tables.Add(table);
        var held = herald.Get("held");
        var target = context.Sizes.ScaleTarget;
        result.Checks.Add(new TargetCheck(Format.Inv($"Scale: ≥ {target:N0} connections held in one process"), Format.Number(held, "N0"), held >= target));
        result.Checks.Add(new TargetCheck("Scale: none dropped, every event delivered while held", Format.Inv($"dropped {herald.Get("dropped"):0}, {herald.Get("holdDeliveredPct"):0.00} % delivered"), herald.Get("dropped") == 0 && herald.Get("holdDeliveredPct") >= 100));
        // No busy accept loop: a refused attempt costs at most twice what accepting a connection costs, and
        // CPU falls back to the holding level (+0.25 core) once the attempts stop.
        var noBusyLoop = herald.Get("refuseCpuMs") <= 2 * herald.Get("acceptCpuMs")
            && herald.Get("afterCores") <= herald.Get("holdCores") + 0.25;
        var graceful = herald.Get("alive") == 1
            && herald.Get("recovered") >= context.Sizes.ScaleRecovery
            && noBusyLoop
            && herald.Get("overflowDeliveredPct") >= 100
            && herald.Get("overflowP99") < 1000;
        result.Checks.Add(new TargetCheck(
            "Scale: graceful refusal past the limit (alive, no busy accept loop, no stall, recovers)",
            Format.Inv($"alive {herald.Get("alive"):0}, {herald.Get("refuseCpuMs"):0.00} CPU ms per refused attempt vs {herald.Get("acceptCpuMs"):0.00} per accepted, {herald.Get("afterCores"):0.00} cores after vs {herald.Get("holdCores"):0.00} holding, {herald.Get("overflowDeliveredPct"):0.00} % delivered, p99 {herald.Get("overflowP99"):0.0} ms, recovered {herald.Get("recovered"):0}/{context.Sizes.ScaleRecovery}"),
            graceful));
        FanOutScenario.Add(result, "scale.herald.held", "herald: connections held at the open-files limit", Spread.Of([held]), higherIsBetter: true);
        FanOutScenario.Add(result, "scale.herald.rssPerConnKiB", "herald: RSS KiB per connection at the limit", Spread.Of([herald.Get("rssPerConnKiB")]), higherIsBetter: false);
    }

    /// <summary>Makes <paramref name="attempts"/> connection attempts past the limit; returns the server's CPU ms per attempt above <paramref name="quietCores"/>.</summary>
    private static async Task<double> MeasureRefusalCpuMsAsync(ServerProcess server, int attempts, double connectTimeoutSeconds, double quietCores, double pause)
    {
        var cpu0 = server.Process.CpuSeconds();
        var clock = Stopwatch.StartNew();
        double made;
        await using (var refused = await LoadGroup.StartAsync(LoadSpec.For(server, attempts) with { ConnectTimeoutSeconds = connectTimeoutSeconds }))
        {
            made = refused.Ready.Connected + refused.Ready.Failed;
        }

        // Whatever the attempts left behind (closing sockets) belongs to their cost too.
        await Task.Delay(TimeSpan.FromSeconds(pause));
        var cpu = server.Process.CpuSeconds() - cpu0;
        return Math.Max(0, cpu - (quietCores * clock.Elapsed.TotalSeconds)) * 1000 / Math.Max(1, made);
    }

    private static double Percent(double received, double expected)
    {
        return expected == 0 ? double.NaN : 100 * received / expected;
    }

    /// <summary>Publishes once a second; a failed publish is a finding (the server refused or died), not a harness error.</summary>
    private static async Task PublishUntilAsync(Publisher publisher, Measurement row, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await publisher.PublishOneAsync();
            }
            catch (InvalidOperationException ex)
            {
                row.Values["publishFailures"] = row.Get("publishFailures") is var n && double.IsNaN(n) ? 1 : n + 1;
                row.AddNote("publish failed past the limit: " + ex.Message);
            }
            try
            {
                // The hold's rate (1 event/s): the overflow's CPU is set against the hold's, so any extra
                // fan-out here would be counted as the cost of refusing.
                await Task.Delay(1000, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
