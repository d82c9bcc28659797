using System.Diagnostics;
using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Scenarios;

/// <summary>
/// Resume, on Herald's default (SQLite) store: subscribers dropped again and again during a stream (once), and a resume
/// storm, every client reconnecting at once with <c>since</c> far back (in interleaved rounds).
/// </summary>
public sealed class ResumeScenario : Scenario
{
    private const double StormTargetSeconds = 10;

    public override string Name => "resume";

    public override string Title => "5. Resume: drops during a stream, and a resume storm";

    protected override int RoundsFor(BenchContext context) => context.Rounds;

    protected override IReadOnlyList<ServerSpec> ServersFor(BenchContext context) => HeraldOnly(context);

    protected override string Describe(BenchContext context)
    {
        var s = context.Sizes;
        return Format.Inv($"Drops (first round): {s.ResumeSubscribers:N0} subscribers; {s.ResumeRate:0} events/s for {s.ResumeDuration.TotalSeconds:0.#} s, each payload numbered; every subscriber's socket is reset {s.ResumeDrops} times at random moments and resumes at once with since=<last event id>; each checks every number: missing = lost, twice = duplicated, lower than one already seen = out of order. Storm ({RoundsFor(context)} round(s), a fresh server each): {s.StormBack:N0} events are stored (batches of 100 on one connection, so ids follow the numbers), {s.StormClients:N0} subscribers connect live, then all of their sockets are reset at once and every one reconnects at once with since = the id {s.StormBack:N0} events back, while {s.StormLiveRate:0} events/s keep being published; time until all are live = from the reset to the last `resumed` frame (Stopwatch, shared by all processes); server CPU over that time; lost and duplicated over the replayed and the live events.");
    }

    protected override async Task MeasureAsync(BenchContext context, ServerSpec spec, Measurement m, ScenarioResult result)
    {
        if (m.Round == 1)
        {
            await DropsAsync(context, spec, m);
        }
        await StormAsync(context, spec, m);
    }

    private static async Task DropsAsync(BenchContext context, ServerSpec spec, Measurement m)
    {
        var s = context.Sizes;
        await using var server = await ServerProcess.StartAsync(spec, context.ServerStart());
        using var publisher = Publisher.For(server, connections: 1);
        var total = (int)Math.Round(s.ResumeRate * s.ResumeDuration.TotalSeconds);
        // The drops end a little before the stream so the last reconnects catch up live.
        await using var load = await LoadGroup.StartAsync(LoadSpec.For(server, s.ResumeSubscribers) with { Drops = s.ResumeDrops, DropWindow = s.ResumeDuration * 0.9, Track = total + 10 });
        await load.GoAsync();
        await publisher.RunAsync(PublishPlan.OnSchedule(s.ResumeRate, s.ResumeDuration));
        var (report, _, _) = await load.ReportSeqAsync(publisher.Published - 1, s.Quiet + TimeSpan.FromSeconds(2));
        m.Values["dropSubscribers"] = load.Connected;
        m.Values["dropEvents"] = publisher.Published;
        m.Values["dropReconnects"] = report.Reconnects;
        m.Values["dropLost"] = report.Lost;
        m.Values["dropDuplicates"] = report.Duplicates;
        m.Values["dropOutOfOrder"] = report.OutOfOrder;
        if (report.Errors.Count > 0)
        {
            m.AddNote("drops: " + Errors(report.Errors));
        }
    }

    private static async Task StormAsync(BenchContext context, ServerSpec spec, Measurement m)
    {
        var s = context.Sizes;
        await using var server = await ServerProcess.StartAsync(spec, context.ServerStart());
        // One connection, batches one after another: event ids follow the payloads' numbers.
        using var publisher = new Publisher(ServerKind.Herald, [server.Url], 1, PublishChannel.Http);
        var fill = await publisher.RunAsync(new PublishPlan { Rate = 50_000, Count = s.StormBack, Batch = 100 });
        if (fill.Errors > 0)
        {
            throw new InvalidOperationException("storing the events to replay failed: " + fill.FirstError);
        }
        var since = publisher.LastId - s.StormBack;
        var firstSeq = publisher.Published - s.StormBack;
        var track = s.StormBack + (int)(s.StormLiveRate * s.StormTimeout.TotalSeconds) + 100;
        await using var load = await LoadGroup.StartAsync(LoadSpec.For(server, s.StormClients) with { Reconnect = true, Concurrency = s.StormClients });

        var cpu0 = server.Process.CpuSeconds();
        var started = Stopwatch.GetTimestamp();
        await load.StormAsync(since, firstSeq, track, concurrency: s.StormClients);
        var live = 0;
        while (Stopwatch.GetElapsedTime(started) < s.StormTimeout)
        {
            await publisher.RunAsync(PublishPlan.OnSchedule(s.StormLiveRate, TimeSpan.FromSeconds(0.5)));
            live = (await load.StatusAsync()).Sum(w => w.Live);
            if (live >= load.Connected)
            {
                break;
            }
        }
        var statuses = await load.StatusAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = server.Process.CpuSeconds() - cpu0;
        var lastLive = statuses.Max(w => w.LastLiveAt);
        var allLive = live >= load.Connected;
        // Everyone caught up: wait for the last live events and count what is missing. Otherwise the replays are still
        // running, and what has not arrived yet is late, not lost: only the throughput is taken.
        var (report, _, _) = await load.ReportSeqAsync(publisher.Published - 1, allLive ? s.Quiet + TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(0.1), allLive ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(0.2));

        m.Values["stormClients"] = load.Connected;
        m.Values["stormLive"] = live;
        m.Values["stormSeconds"] = allLive ? (lastLive - started) / (double)Stopwatch.Frequency : double.NaN;
        m.Values["stormCpuSeconds"] = cpu;
        m.Values["stormReplayed"] = (double)s.StormBack * load.Connected;
        m.Values["stormDeliveriesPerSecond"] = report.Received / elapsed;
        m.Values["stormCpuPerDelivery"] = report.Received == 0 ? double.NaN : cpu / report.Received * 1e6;
        m.Values["stormLost"] = allLive ? report.Lost : double.NaN;
        m.Values["stormDuplicates"] = report.Duplicates;
        m.Values["stormOutOfOrder"] = report.OutOfOrder;
        m.Values["stormCutOff"] = report.Losses;
        BenchContext.Log(Format.Inv($"  storm: {live:N0}/{load.Connected:N0} live after {(allLive ? m.Values["stormSeconds"] : elapsed):0.00} s, {m.Values["stormDeliveriesPerSecond"]:N0} deliveries/s, server CPU {cpu:0.0} s ({m.Values["stormCpuPerDelivery"]:0.00} µs per delivery), lost {m.Values["stormLost"]}, duplicated {report.Duplicates}, cut off and resumed {report.Losses}"));
        if (report.Errors.Count > 0)
        {
            m.AddNote("storm: " + Errors(report.Errors));
        }
    }

    protected override void Summarize(BenchContext context, ScenarioResult result)
    {
        var s = context.Sizes;
        var herald = result.Of("herald").ToList();
        if (herald.Count == 0)
        {
            return;
        }
        var first = herald[0];
        result.Tables.Add(new Table
        {
            Title = "Drops during a stream",
            Headers = ["server", "subscribers", "events", "reconnects (planned)", "lost", "duplicated", "out of order"],
            Rows =
            {
                new List<string>
                {
                    "herald", Format.Number(first.Get("dropSubscribers"), "N0"), Format.Number(first.Get("dropEvents"), "N0"),
                    Format.Inv($"{first.Get("dropReconnects"):N0} ({first.Get("dropSubscribers") * s.ResumeDrops:N0})"),
                    Format.Number(first.Get("dropLost"), "N0"), Format.Number(first.Get("dropDuplicates"), "N0"), Format.Number(first.Get("dropOutOfOrder"), "N0"),
                },
            },
        });
        var storm = new Table
        {
            Title = Format.Inv($"Resume storm: {s.StormClients:N0} clients at once, {s.StormBack:N0} events back"),
            Headers = ["round", "clients", "live at the end", "seconds until all live", "deliveries/s", "server CPU s", "server CPU µs per delivery", "lost", "duplicated", "out of order", "cut off and resumed"],
        };
        foreach (var m in herald)
        {
            storm.Rows.Add(
            [
                Format.Number(m.Round, "0"), Format.Number(m.Get("stormClients"), "N0"), Format.Number(m.Get("stormLive"), "N0"),
                double.IsNaN(m.Get("stormSeconds")) ? Format.Inv($"not within {s.StormTimeout.TotalSeconds:0} s") : Format.Number(m.Get("stormSeconds"), "0.00"),
                Format.Number(m.Get("stormDeliveriesPerSecond"), "N0"), Format.Number(m.Get("stormCpuSeconds"), "0.0"),
                Format.Number(m.Get("stormCpuPerDelivery"), "0.00"),
                double.IsNaN(m.Get("stormLost")) ? "not counted (replays still running)" : Format.Number(m.Get("stormLost"), "N0"), Format.Number(m.Get("stormDuplicates"), "N0"), Format.Number(m.Get("stormOutOfOrder"), "N0"), Format.Number(m.Get("stormCutOff"), "N0"),
            ]);
        }
        result.Tables.Add(storm);

        var planned = first.Get("dropSubscribers") * s.ResumeDrops;
        result.Checks.Add(new TargetCheck(
            "Resume: drops during a stream lose, double and reorder nothing",
            Format.Inv($"{first.Get("dropLost"):0}/{first.Get("dropDuplicates"):0}/{first.Get("dropOutOfOrder"):0} over {first.Get("dropReconnects"):N0} reconnects (planned {planned:N0})"),
            first.Get("dropLost") == 0 && first.Get("dropDuplicates") == 0 && first.Get("dropOutOfOrder") == 0 && first.Get("dropReconnects") >= planned));
        var seconds = result.Spread("herald", "stormSeconds");
        var exact = herald.All(m => m.Get("stormLost") == 0 && m.Get("stormDuplicates") == 0 && m.Get("stormOutOfOrder") == 0);
        var allLive = herald.All(m => m.Get("stormLive") >= m.Get("stormClients"));
        var inTime = allLive && herald.All(m => m.Get("stormSeconds") <= StormTargetSeconds);
        result.Checks.Add(new TargetCheck(
            Format.Inv($"Resume storm: every client live within {StormTargetSeconds:0} s, 0 lost, 0 duplicated"),
            allLive
                ? Format.Inv($"{seconds.Format("0.00")} s until all live over {herald.Count} round(s); lost {herald.Sum(m => m.Get("stormLost")):N0}, duplicated {herald.Sum(m => m.Get("stormDuplicates")):N0}")
                : Format.Inv($"not all live within {s.StormTimeout.TotalSeconds:0} s: {result.Spread("herald", "stormLive").Format("N0")} of {s.StormClients:N0} live at the end, replaying at {result.Spread("herald", "stormDeliveriesPerSecond").Format("N0")} deliveries/s ({result.Spread("herald", "stormCpuPerDelivery").Format("0.00")} µs of server CPU each); duplicated {herald.Sum(m => m.Get("stormDuplicates")):N0}"),
            inTime && exact));
        FanOutScenario.Add(result, "resume.herald.stormSeconds", "herald: seconds until every client of the storm is live", seconds, higherIsBetter: false);
    }
}
