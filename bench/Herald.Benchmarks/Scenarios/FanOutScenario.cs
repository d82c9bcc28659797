using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Scenarios;

/// <summary>
/// Fan-out to one topic in steps until the server saturates, after holding its connections idle at each level: the
/// 5,000-client run (three rounds, the headline targets) and the 19,000-client run (one round, the curves against
/// connections).
/// </summary>
public sealed class FanOutScenario(bool large) : Scenario
{
    private const double LoadBoundCores = 0.9;

    public override string Name => large ? "fanout-19k" : "fanout";

    public override string Title => large ? "2. Fan-out at 19,000 clients, and cost against connections" : "1. Fan-out at 5,000 clients, in steps to saturation";

    protected override int RoundsFor(BenchContext context) => large ? 1 : context.Rounds;

    /// <summary>The quick mode runs the 19,000-client code path on Herald alone (the servers' paths run in the 5,000-client run).</summary>
    protected override IReadOnlyList<ServerSpec> ServersFor(BenchContext context)
        => large && context.Quick ? HeraldOnly(context) : context.Servers;

    private static IReadOnlyList<int> Levels(BenchContext context, bool large) => large ? context.Sizes.LargeLevels : context.Sizes.FanOutLevels;

    protected override string Describe(BenchContext context)
    {
        var s = context.Sizes;
        var levels = Levels(context, large);
        var rates = large ? s.LargeRates : s.FanOutRates;
        return Format.Inv($"Subscribers on one topic, connected from {Workers(levels[^1])} load processes (one epoll thread each). First the connections are held idle at {string.Join(", ", levels.Select(l => l.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))} connections for {s.Hold.TotalSeconds:0.#} s each, with a ping every {s.Heartbeat.TotalSeconds:0.#} s from every server: RSS (VmRSS) growth and CPU per connection, counted from {Warm(levels[0])} connections already open (JIT, pools). Then, at {levels[^1]:N0}, one unmeasured warm-up step and steps of {s.Step.TotalSeconds:0.#} s at {string.Join(", ", rates)} events/s of 100-byte payloads ({Curves.Rate(rates[0] * levels[^1])} to {Curves.Rate(rates[^1] * levels[^1])} deliveries offered), published on schedule over {Publisher.OnScheduleConnections} keep-alive HTTP connections (one core NATS TCP connection for nats-server), until the first step that is not sustained (the publishes fell behind their schedule by more than {1 - Deliveries.MinPace:P0} because every connection waited on the server, < {Deliveries.MinDelivered:P1} delivered, or p99 > {Deliveries.MaxP99Ms:0} ms). Latency = receive time − the payload's Stopwatch stamp (CLOCK_MONOTONIC, shared by all processes). CPU = utime+stime of the server process over the step and its drain, per delivery; the load's cores are its workers' over the same window. Bytes per delivery = what subscribers read from their sockets (WebSocket frames with the protocol's envelope) ÷ deliveries.{(large || RoundsFor(context) == 1 ? "" : $" {RoundsFor(context)} interleaved rounds; figures are the median with the min–max over rounds.")}{(large && context.Quick ? " Quick mode: Herald alone (every server's path runs in section 1)." : "")}");
    }

    private static int Warm(int firstLevel) => Math.Min(50, Math.Max(1, firstLevel / 2));

    private static int Workers(int clients) => clients <= 2000 ? 1 : Math.Max(Environment.ProcessorCount, (clients + LoadGroup.MaxPerProcess - 1) / LoadGroup.MaxPerProcess);

    protected override async Task MeasureAsync(BenchContext context, ServerSpec spec, Measurement m, ScenarioResult result)
    {
        var s = context.Sizes;
        var levels = Levels(context, large);
        var rates = large ? s.LargeRates : s.FanOutRates;
        var warm = Warm(levels[0]);
        await using var server = await ServerProcess.StartAsync(spec, context.ServerStart());
        using var publisher = Publisher.For(server);
        await using var load = await LoadGroup.StartAsync(LoadSpec.For(server, warm, Workers(levels[^1])));
        IReadOnlyList<ChildProcess> processes = [server.Process];
        await Deliveries.MeasureAsync(processes, load, publisher, new PublishPlan { Rate = 1000, Count = 1 }, s.Quiet, load.Connected);
        await Task.Delay(TimeSpan.FromSeconds(context.Quick ? 0.2 : 1));
        var rss0 = server.Process.RssBytes();
        var managed0 = await server.LiveManagedBytesAsync();
        var warmConnected = load.Connected;

        foreach (var level in levels)
        {
            await load.GrowToAsync(level);
            var cpu0 = server.Process.CpuSeconds();
            await Task.Delay(s.Hold);
            var cpu = server.Process.CpuSeconds() - cpu0;
            var rss = server.Process.RssBytes();
            var added = Math.Max(1, load.Connected - warmConnected);
            var point = new Dictionary<string, double>
            {
                ["connections"] = load.Connected,
                ["rssMiB"] = rss / 1048576.0,
                ["rssPerConnKiB"] = (rss - rss0) / 1024.0 / added,
                ["idleCpuPer1k"] = cpu * 1000 / s.Hold.TotalSeconds / load.Connected * 1000,
            };
            m.Points("levels").Add(point);
            if (level == levels[^1])
            {
                point["managedPerConnKiB"] = (await server.LiveManagedBytesAsync() - managed0) / 1024.0 / added;
                foreach (var (key, value) in point)
                {
                    m.Values[key] = value;
                }
            }
            if (load.Ready.Failed > 0)
            {
                m.AddNote(Format.Inv($"{load.Ready.Failed} connections failed at {level:N0}: {Errors(load.Ready.Errors)}"));
                break;
            }
        }

        var connected = load.Connected;
        if (!context.Quick)
        {
            // JIT tiers and the connection burst's garbage would otherwise land on the first step.
            await Deliveries.MeasureAsync(processes, load, publisher, PublishPlan.OnSchedule(rates[0], s.WarmUpStep), s.Quiet, connected, m);
        }
        m.Values["saturation"] = 0;
        foreach (var rate in rates)
        {
            var point = await Deliveries.MeasureAsync(processes, load, publisher, PublishPlan.OnSchedule(rate, s.Step), s.Quiet, connected, m);
            point["eventsPerSecond"] = rate;
            m.Points("steps").Add(point);
            BenchContext.Log(Format.Inv($"  {spec.Name} {rate} ev/s: {point["rate"]:N0} deliveries/s, {point["deliveredPct"]:0.00} %, p99 {point["p99"]:0.0} ms, pace {point["pace"]:0} %, server {point["serverCores"]:0.00} cores {point["cpuPerDelivery"]:0.00} µs/delivery, load {point["loadCores"]:0.00} cores (busiest {point["maxWorkerCores"]:0.00})"));
            if (point["sustained"] == 0)
            {
                m.Values["failP99"] = point["p99"];
                m.Values["failPct"] = point["deliveredPct"];
                m.Values["failPace"] = point["pace"];
                m.Values["failLoadBound"] = point["maxWorkerCores"] >= LoadBoundCores ? 1 : 0;
                if (!await server.IsHealthyAsync())
                {
                    m.AddNote(Format.Inv($"the server died at {rate} events/s: {server.Process.Stderr().Trim()}"));
                }
                return;
            }
            m.Values["saturation"] = point["rate"];
            m.Values["saturationOffered"] = point["offered"];
        }
        m.Values["neverSaturated"] = 1;
        m.AddNote("never saturated: the ceiling is above the highest step");
    }

    protected override void Summarize(BenchContext context, ScenarioResult result)
    {
        var servers = result.Measurements.Select(m => m.Server).Distinct().ToList();
        var pivot = Pivot(result);
        SummaryTable(result, servers, pivot);
        StepTables(result, servers);
        Charts(result, servers);
        LoadNotes(result, servers);
        if (!large)
        {
            Targets(context, result, pivot);
        }
        Headlines(result, servers, pivot);
    }

    /// <summary>The step nearest 300,000 deliveries/s offered, where the targets compare CPU with the floor.</summary>
    private static double Pivot(ScenarioResult result)
        => Curves.Xs(result, "steps", "offered").OrderBy(x => Math.Abs(x - 300_000)).DefaultIfEmpty(double.NaN).First();

    private void SummaryTable(ScenarioResult result, List<string> servers, double pivot)
    {
        var table = new Table
        {
            Headers =
            [
                "server", "connections", "idle RSS KiB / conn", "live managed KiB / conn", "idle CPU ms/s per 1k conns",
                "saturation deliveries/s", $"CPU µs / delivery at {Curves.Rate(pivot)}", $"p99 ms at {Curves.Rate(pivot)}", "bytes / delivery",
            ],
        };
        foreach (var server in servers)
        {
            var never = result.Of(server).Any(m => m.Get("neverSaturated") == 1) ? " (never saturated)" : "";
            table.Rows.Add(
            [
                server,
                result.Spread(server, "connections").Format("N0"),
                result.Spread(server, "rssPerConnKiB").Format("0.00"),
                result.Spread(server, "managedPerConnKiB").Format("0.00"),
                result.Spread(server, "idleCpuPer1k").Format("0.00"),
                result.Spread(server, "saturation").Format("N0") + never,
                Curves.At(result, server, "steps", "offered", pivot, "cpuPerDelivery").Format("0.00"),
                Curves.At(result, server, "steps", "offered", pivot, "p99").Format("0.0"),
                Spread.Of(result.Of(server).SelectMany(m => m.Points("steps")).Select(p => p["bytesPerDelivery"])).Format("0"),
            ]);
        }
        result.Tables.Add(table);
    }

    private static void StepTables(ScenarioResult result, List<string> servers)
    {
        static string Flag(Dictionary<string, double> p) => (p["sustained"] == 0 ? " ✗" : "") + (p["maxWorkerCores"] >= LoadBoundCores ? " †" : "");
        result.Tables.Add(Curves.Table(result, servers, "steps", "offered", "offered deliveries/s", Curves.Rate, "cpuPerDelivery", "0.00", "Server CPU µs per delivery (✗ step not sustained, † a load worker used ≥ 0.9 core)", Flag));
        result.Tables.Add(Curves.Table(result, servers, "steps", "offered", "offered deliveries/s", Curves.Rate, "p99", "0.0", "p99 latency, ms", Flag));
        result.Tables.Add(Curves.Table(result, servers, "steps", "offered", "offered deliveries/s", Curves.Rate, "serverCores", "0.00", "Server cores"));
        result.Tables.Add(Curves.Table(result, servers, "steps", "offered", "offered deliveries/s", Curves.Rate, "loadCores", "0.00", "Load generator cores (all workers), busiest worker in the next table"));
        result.Tables.Add(Curves.Table(result, servers, "steps", "offered", "offered deliveries/s", Curves.Rate, "maxWorkerCores", "0.00", "Busiest load worker, cores (one epoll thread: 1.0 is its limit)"));
        if (result.Measurements.Any(m => m.Points("levels").Count > 1))
        {
            result.Tables.Add(Curves.Table(result, servers, "levels", "connections", "connections", x => Format.Number(x, "N0"), "rssPerConnKiB", "0.00", "Idle RSS KiB per connection"));
            result.Tables.Add(Curves.Table(result, servers, "levels", "connections", "connections", x => Format.Number(x, "N0"), "idleCpuPer1k", "0.00", "Idle CPU ms/s per 1,000 connections (heartbeats only)"));
        }
    }

    private void Charts(ScenarioResult result, List<string> servers)
    {
        var cpu = Curves.Chart(result, servers, "steps", "offered", "cpuPerDelivery", "Server CPU per delivery against delivery rate", "deliveries/s offered (log)", "µs per delivery (log)", logX: true, logY: true);
        cpu.Caption = Growth.Describe("CPU per delivery from the first to the last step a server ran (batching makes it fall while the server keeps up; it rises once it falls behind)", cpu.Series, Curves.Rate, y => Format.Inv($"{y:0.00} µs"));
        var p99 = Curves.Chart(result, servers, "steps", "offered", "p99", "p99 latency against delivery rate", "deliveries/s offered (log)", "p99 ms (log)", logX: true, logY: true);
        p99.Caption = Growth.Describe("p99 from the first to the last step", p99.Series, Curves.Rate, y => Format.Inv($"{y:0.0} ms"));
        result.Charts.AddRange([cpu, p99]);
        if (result.Measurements.Any(m => m.Points("levels").Count > 1))
        {
            var rss = Curves.Chart(result, servers, "levels", "connections", "rssMiB", "Server memory against connections (idle)", "connections", "RSS MiB");
            rss.Caption = Growth.Describe("RSS grows about linearly with connections", rss.Series, x => Format.Number(x, "N0"), y => Format.Inv($"{y:0} MiB"));
            var idle = Curves.Chart(result, servers, "levels", "connections", "idleCpuPer1k", "Idle CPU per 1,000 connections against connections", "connections", "CPU ms/s per 1k connections");
            idle.Caption = Growth.Describe("Idle CPU per connection (heartbeats) stays about flat when it grows linearly in total", idle.Series, x => Format.Number(x, "N0"), y => Format.Inv($"{y:0.00} ms/s"));
            result.Charts.AddRange([rss, idle]);
        }
    }

    /// <summary>What the load generator cost, calibrated against the floor, and whether it ever limited a step.</summary>
    private static void LoadNotes(ScenarioResult result, List<string> servers)
    {
        if (servers.Contains("floor"))
        {
            var floorSteps = result.Of("floor").SelectMany(m => m.Points("steps")).Where(p => p["sustained"] == 1).ToList();
            var loadPerDelivery = Spread.Of(floorSteps.Select(p => p["loadCores"] / p["rate"] * 1e6));
            var top = floorSteps.OrderByDescending(p => p["rate"]).FirstOrDefault();
            if (top is not null)
            {
                result.Notes.Add(Format.Inv($"Load generator calibrated against the floor: {loadPerDelivery.Format("0.00")} µs of load CPU per delivery over the floor's sustained steps; at the floor's highest sustained step ({Curves.Rate(top["rate"])}) the load used {top["loadCores"]:0.00} cores (busiest worker {top["maxWorkerCores"]:0.00}) and the floor {top["serverCores"]:0.00}. Any server that saturates below the floor's rate had a load generator that had already kept up with more."));
            }
        }
        var bound = result.Measurements.Where(m => m.Get("failLoadBound") == 1).Select(m => Format.Inv($"{m.Server} (round {m.Round})")).ToList();
        result.Notes.Add(bound.Count == 0
            ? "No server's first failing step had a load worker at ≥ 0.9 core: the load generator did not set any saturation figure."
            : "A load worker was at ≥ 0.9 core in the first failing step of: " + string.Join(", ", bound) + "; there the load may have set the limit, so those saturation figures are lower bounds.");
    }

    private static void Targets(BenchContext context, ScenarioResult result, double pivot)
    {
        const string herald = "herald";
        if (!result.Of(herald).Any())
        {
            return;
        }
        // Steps that Herald and NATS both sustained in every round: the "every step" targets are checked there.
        var heraldRounds = result.Of(herald).ToList();
        var natsRounds = result.Of("nats").ToList();
        var common = Curves.Xs(result, "steps", "offered").Where(x =>
            heraldRounds.Count > 0 && natsRounds.Count > 0
            && heraldRounds.All(m => m.Points("steps").Any(p => p["offered"] == x && p["sustained"] == 1))
            && natsRounds.All(m => m.Points("steps").Any(p => p["offered"] == x && p["sustained"] == 1))).ToList();

        List<double> RatiosAt(string other, double x, string key)
            => [.. heraldRounds.Select(m => (h: m.Points("steps").FirstOrDefault(p => p["offered"] == x), o: result.Of(other).FirstOrDefault(o => o.Round == m.Round)?.Points("steps").FirstOrDefault(p => p["offered"] == x)))
                .Select(t => t.h is null || t.o is null ? double.NaN : t.h[key] / t.o[key])];

        result.Checks.Add(EveryStep("Fan-out: CPU per delivery ≤ 0.7× nats-server's at every step", common, x => RatiosAt("nats", x, "cpuPerDelivery"), 0.7));
        result.Checks.Add(TargetCheck.ForRatios($"Fan-out: CPU per delivery within 1.5× of the floor's at {Curves.Rate(pivot)}", RatiosAt("floor", pivot, "cpuPerDelivery"), 1.5, atMost: true));
        result.Checks.Add(EveryStep("Fan-out: p99 ≤ nats-server's at every step up to saturation", common, x => RatiosAt("nats", x, "p99"), 1.0));
        result.Checks.Add(Saturation(result, "nats", 1.2, "Saturation ≥ 1.2× nats-server's"));
        result.Checks.Add(Saturation(result, "floor", 0.8, "Saturation ≥ 0.8× the floor's"));
        result.Checks.Add(TargetCheck.ForRatios("Idle memory ≤ 5 KiB per connection (RSS growth)", [.. heraldRounds.Select(m => m.Get("rssPerConnKiB") / 5)], 1.0, atMost: true, "as a fraction of 5 KiB; KiB per connection: " + result.Spread(herald, "rssPerConnKiB").Format("0.00")));
        var bound = result.Measurements.Count(m => m.Get("failLoadBound") == 1);
        result.Checks.Add(new TargetCheck("Harness: the load generator never limits a step (no worker ≥ 0.9 core at a server's first failing step)", bound == 0 ? "none" : Format.Inv($"{bound} server-rounds"), bound == 0));
        _ = context;
    }

    /// <summary>A target at every step both sustained: passes when every round's ratio at every such step is within it.</summary>
    private static TargetCheck EveryStep(string target, List<double> steps, Func<double, List<double>> ratios, double limit)
    {
        if (steps.Count == 0)
        {
            return new TargetCheck(target, "no step sustained by both in every round", false);
        }
        var perStep = steps.Select(x => (x, spread: Spread.Of(ratios(x)))).ToList();
        var worst = perStep.OrderByDescending(p => p.spread.Max).First();
        var failing = perStep.Where(p => p.spread.Max > limit).Select(p => Curves.Rate(p.x) + " " + p.spread.Format("0.00", "×")).ToList();
        var text = Format.Inv($"worst step {Curves.Rate(worst.x)}: {worst.spread.Format("0.00", "×")}; {steps.Count} steps from {Curves.Rate(steps[0])} to {Curves.Rate(steps[^1])}");
        if (failing.Count > 0)
        {
            text += "; over the target at " + string.Join(", ", failing);
        }
        return new TargetCheck(target, text, failing.Count == 0);
    }

    /// <summary>
    /// Herald's saturation over another's, per round. A server that sustained every step has its ceiling above the top
    /// step: when it is the other one, Herald's ratio to it is only an upper bound and cannot pass; when it is Herald,
    /// the ratio is a lower bound and counts.
    /// </summary>
    private static TargetCheck Saturation(ScenarioResult result, string other, double limit, string target)
    {
        var ratios = result.RatiosByRound("herald", other, "saturation");
        if (result.Of(other).Any(m => m.Get("neverSaturated") == 1))
        {
            return new TargetCheck(target, Format.Inv($"not counted: {other} sustained every step, so its ceiling is above the top step and herald's ratio to it ({Spread.Of(ratios).Format("0.00", "×")}) is only an upper bound"), false);
        }
        var bound = result.Of("herald").Any(m => m.Get("neverSaturated") == 1) ? "herald sustained every step: its ratio is a lower bound" : null;
        return TargetCheck.ForRatios(target, ratios, limit, atMost: false, bound);
    }

    private void Headlines(ScenarioResult result, List<string> servers, double pivot)
    {
        foreach (var server in servers.Where(s => s.StartsWith("herald", StringComparison.Ordinal)))
        {
            Add(result, $"{Name}.{server}.saturation", $"{server}: saturation deliveries/s ({Name})", result.Spread(server, "saturation"), higherIsBetter: true);
            Add(result, $"{Name}.{server}.rssPerConnKiB", $"{server}: idle RSS KiB per connection ({Name})", result.Spread(server, "rssPerConnKiB"), higherIsBetter: false);
            foreach (var x in Curves.Xs(result, "steps", "offered").Where(x => x == pivot || Math.Abs(x - 100_000) < 1))
            {
                Add(result, Format.Inv($"{Name}.{server}.cpuPerDelivery@{x:0}"), $"{server}: CPU µs per delivery at {Curves.Rate(x)} ({Name})", Curves.At(result, server, "steps", "offered", x, "cpuPerDelivery"), higherIsBetter: false);
                Add(result, Format.Inv($"{Name}.{server}.p99@{x:0}"), $"{server}: p99 ms at {Curves.Rate(x)} ({Name})", Curves.At(result, server, "steps", "offered", x, "p99"), higherIsBetter: false);
            }
        }
    }

    internal static void Add(ScenarioResult result, string key, string label, Spread spread, bool higherIsBetter)
    {
        if (spread.Count > 0)
        {
            result.Headlines[key] = new Headline(label, spread.Median, spread.Min, spread.Max, spread.Count, higherIsBetter);
        }
    }
}
