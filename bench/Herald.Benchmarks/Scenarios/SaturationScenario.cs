using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Scenarios;

/// <summary>Scenario 2: raise the event rate step by step until p99 passes 1 s or deliveries fall short.</summary>
public sealed class SaturationScenario : Scenario
{
    private const double MaxP99Ms = 1000;
    private const double MinDeliveredFraction = 0.999;

    // The server took events at the rate asked for: publishing did not fall behind the schedule.
    private const double MinPace = 0.95;

    private readonly Dictionary<string, List<(double Offered, double Delivered, double P99)>> _steps = [];

    public override string Name => "saturation";

    protected override ScenarioResult CreateResult(BenchContext context)
    {
        var s = context.Sizes;
        var result = new ScenarioResult
        {
            Name = Name,
            Title = "2. Saturation",
            Method = Format.Inv($"{s.SaturationSubscribers:N0} subscribers; steps of {s.SaturationStep.TotalSeconds:0.#} s at {string.Join(", ", s.SaturationRates)} events/s, published on schedule by up to {Publisher.OnScheduleInFlight} concurrent HTTP requests (so a slow answer does not lower the offered rate), after one unmeasured warm-up step at the first rate. A step is sustained when the events went out at ≥ {MinPace:P0} of its rate (a server that answers publishes too slowly is saturated too), ≥ {MinDeliveredFraction:P1} of its deliveries arrive and p99 ≤ {MaxP99Ms:0} ms; the run stops at the first step that is not. Load generators share the machine's 2 cores with the server, so the ceiling is the machine's, measured the same way for every server."),
        };
        result.Columns.AddRange(
        [
            new Column("sustained", "highest sustained deliveries/s", "N0"),
            new Column("sustainedRate", "at events/s", "0"),
            new Column("steps", "steps run", "0"),
            new Column("failP99", "p99 ms at first failing step", "0.0"),
            new Column("failPct", "delivered % at first failing step", "0.0"),
            new Column("failPace", "rate kept % at first failing step", "0"),
        ]);
        return result;
    }

    protected override async Task MeasureAsync(BenchContext context, ServerKind kind, ServerRow row, ScenarioResult result)
    {
        var s = context.Sizes;
        var steps = new List<(double, double, double)>();
        _steps[row.Server] = steps;
        await using var server = await ServerProcess.StartAsync(kind, s.Heartbeat);
        await using var load = await LoadGroup.StartAsync(server, s.SaturationSubscribers, s.Heartbeat);
        using var publisher = new Publisher(server);
        await publisher.PublishOneAsync();
        await load.ReportAsync(publisher.Published, s.Quiet);

        // Warm-up at the first rate, not measured: JIT tiers and the connection burst's garbage would
        // otherwise land on the first step's latency.
        await publisher.PublishAsync(s.SaturationRates[0], s.SaturationStep, Publisher.OnScheduleInFlight);
        await load.ReportAsync(publisher.Published, s.Quiet);

        row.Values["sustained"] = 0;
        foreach (var rate in s.SaturationRates)
        {
            var first = publisher.Published;
            var elapsed = await publisher.PublishAsync(rate, s.SaturationStep, Publisher.OnScheduleInFlight);
            var (report, latency) = await load.ReportAsync(publisher.Published, s.Quiet);
            var expected = (double)(publisher.Published - first) * load.Ready.Connected;
            var fraction = expected == 0 ? 0 : report.Received / expected;
            var p99 = latency.Percentile(0.99) / 1000;
            var deliveredPerSecond = report.Received / elapsed.TotalSeconds;
            steps.Add((rate * load.Ready.Connected, deliveredPerSecond, p99));
            row.Values["steps"] = steps.Count;
            var pace = (publisher.Published - first) / elapsed.TotalSeconds / rate;
            BenchContext.Log(Format.Inv($"  {rate} ev/s: {deliveredPerSecond:N0} deliveries/s, {fraction:P2}, p99 {p99:0.0} ms, rate kept {pace:P0}"));
            if (pace < MinPace || fraction < MinDeliveredFraction || p99 > MaxP99Ms)
            {
                row.Values["failP99"] = p99;
                row.Values["failPct"] = fraction * 100;
                row.Values["failPace"] = pace * 100;
                return;
            }
            row.Values["sustained"] = deliveredPerSecond;
            row.Values["sustainedRate"] = rate;
        }
        row.Note = "never saturated: the ceiling is above the highest step";
    }

    protected override void Summarize(BenchContext context, ScenarioResult result)
    {
        result.AddRatio("sustained", "Sustained deliveries/s");
        var (raw, rawText) = SustainedRatio(result, "raw");
        var (signalR, signalRText) = SustainedRatio(result, "signalr");
        result.Checks.Add(new TargetCheck("Saturation: ≥ 0.8× raw", rawText, raw >= 0.8));
        result.Checks.Add(new TargetCheck("Saturation: ≥ 1.5× SignalR", signalRText, signalR >= 1.5));

        var throughput = new Chart { Title = "Saturation: delivered vs offered deliveries/s", YLabel = "delivered/s", XLabel = "offered deliveries/s", Lines = true };
        var latency = new Chart { Title = "Saturation: p99 latency vs offered deliveries/s", YLabel = "p99 ms", XLabel = "offered deliveries/s", Lines = true };
        foreach (var (server, steps) in _steps)
        {
            var t = new ChartSeries { Name = server };
            var l = new ChartSeries { Name = server };
            foreach (var (offered, delivered, p99) in steps)
            {
                t.Points.Add((offered, delivered));
                l.Points.Add((offered, p99));
            }
            throughput.Series.Add(t);
            latency.Series.Add(l);
        }
        result.Charts.Add(throughput);
        result.Charts.Add(latency);
    }

    private (double Ratio, string Text) SustainedRatio(ScenarioResult result, string other)
        => SustainedRatio(
            result.Row("herald")?.Get("sustained") ?? double.NaN,
            result.Row(other)?.Get("sustained") ?? double.NaN,
            other,
            _steps.TryGetValue(other, out var steps) && steps.Count > 0 ? steps[0].Offered : double.NaN);

    /// <summary>
    /// <paramref name="herald"/> over <paramref name="other"/> (sustained deliveries/s). A server that sustained no
    /// step has its ceiling below the first step's deliveries (<paramref name="firstStep"/>), so the ratio is then at
    /// least Herald's over that step, shown as "&gt; n×"; NaN when either figure is missing.
    /// </summary>
    internal static (double Ratio, string Text) SustainedRatio(double herald, double other, string otherName, double firstStep)
    {
        if (other > 0 && !double.IsNaN(herald))
        {
            var ratio = herald / other;
            return (ratio, Format.Ratio(ratio));
        }

        if (other != 0 || !(herald > 0) || !(firstStep > 0))
        {
            return (double.NaN, Format.Ratio(double.NaN));
        }

        var atLeast = herald / firstStep;
        return (atLeast, Format.Inv($"> {Format.Ratio(atLeast)} ({otherName} sustained no step: below {firstStep:N0} deliveries/s)"));
    }
}
