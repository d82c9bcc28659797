using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Scenarios;

/// <summary>Scenario 6: subscribers dropped and reconnected repeatedly during a steady stream.</summary>
public sealed class ResumeScenario : Scenario
{
    public override string Name => "resume";

    protected override ScenarioResult CreateResult(BenchContext context)
    {
        var s = context.Sizes;
        var result = new ScenarioResult
        {
            Name = Name,
            Title = "6. Resume",
            Method = Format.Inv($"{s.ResumeSubscribers:N0} subscribers; {s.ResumeRate:0} events/s for {s.ResumeDuration.TotalSeconds:0.#} s, each payload numbered. Every subscriber's socket is aborted {s.ResumeDrops} times at random moments and reconnects at once: Herald with since=<last event id>; the references have no resume, so they simply reconnect (their losses show what resume buys). Each client checks every sequence number: missing = lost, seen twice = duplicated, lower than one already seen = out of order."),
        };
        result.Columns.AddRange(
        [
            new Column("subscribers", "subscribers", "N0"),
            new Column("reconnects", "reconnects", "N0"),
            new Column("published", "events", "N0"),
            new Column("lost", "lost", "N0"),
            new Column("duplicates", "duplicated", "N0"),
            new Column("outOfOrder", "out of order", "N0"),
        ]);
        return result;
    }

    protected override async Task MeasureAsync(BenchContext context, ServerKind kind, ServerRow row, ScenarioResult result)
    {
        var s = context.Sizes;
        await using var server = await ServerProcess.StartAsync(kind, s.Heartbeat);
        // The drops end a little before the stream so the last reconnects catch up live.
        var window = s.ResumeDuration * 0.9;
        await using var load = await LoadGroup.StartAsync(server, s.ResumeSubscribers, s.Heartbeat, drops: s.ResumeDrops, dropWindow: window);
        using var publisher = new Publisher(server);
        await load.GoAsync();
        await publisher.PublishAsync(s.ResumeRate, s.ResumeDuration);
        var (report, _) = await load.ReportAsync(publisher.Published, s.Quiet + TimeSpan.FromSeconds(2));
        row.Values["subscribers"] = load.Ready.Connected;
        row.Values["reconnects"] = report.Reconnects;
        row.Values["published"] = publisher.Published;
        row.Values["lost"] = report.Lost;
        row.Values["duplicates"] = report.Duplicates;
        row.Values["outOfOrder"] = report.OutOfOrder;
        row.Values["dropped"] = report.Dropped;
        row.Note = Errors(report.Errors.Concat(load.Ready.Errors));
    }

    protected override void Summarize(BenchContext context, ScenarioResult result)
    {
        var herald = result.Row("herald");
        var lost = herald?.Get("lost") ?? double.NaN;
        var duplicates = herald?.Get("duplicates") ?? double.NaN;
        var outOfOrder = herald?.Get("outOfOrder") ?? double.NaN;
        var reconnects = herald?.Get("reconnects") ?? 0;
        var expectedReconnects = context.Sizes.ResumeSubscribers * context.Sizes.ResumeDrops;
        result.Checks.Add(new TargetCheck(
            "Resume: 0 lost, 0 duplicated, 0 out of order",
            Format.Inv($"{lost:0}/{duplicates:0}/{outOfOrder:0} over {reconnects:N0} reconnects (planned {expectedReconnects:N0})"),
            lost == 0 && duplicates == 0 && outOfOrder == 0 && reconnects >= expectedReconnects));
    }
}
