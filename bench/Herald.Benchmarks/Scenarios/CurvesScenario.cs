using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Scenarios;

/// <summary>
/// How the cost of a delivery grows with the shape of the traffic, at a fixed rate, one server process each: payload
/// size, publishers at once, and topics (one topic to everyone against many topics of a few subscribers).
/// </summary>
public sealed class CurvesScenario : Scenario
{
    public override string Name => "curves";

    public override string Title => "3. Cost against payload size, publishers and topics";

    protected override string Describe(BenchContext context)
    {
        var s = context.Sizes;
        return Format.Inv($"One server process per server. Payload: {s.CurveSubscribers:N0} subscribers on one topic, {s.PayloadRate:0} events/s for {s.CurvePoint.TotalSeconds:0.#} s at each of {string.Join(", ", s.PayloadSizes.Select(b => b.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " B"))} payloads. Publishers: the same subscribers, {s.PublishersRate:0} events/s of 100 B in all, sent over {string.Join(", ", s.PublisherCounts)} connections at once (each a publisher with one request in flight). Topics: {s.Topics * s.SubscribersPerTopic:N0} subscribers, first {s.Topics:N0} topics × {s.SubscribersPerTopic} subscribers with events spread over the topics, then one topic to all of them, both at {s.TopicDeliveries:N0} deliveries/s. One round; the same CPU, latency and bytes measures as the fan-out.{(context.Quick ? " Quick mode: one point of each curve, the many-topics point only (the one-topic point is section 1's path), no warm-up steps." : "")}");
    }

    protected override async Task MeasureAsync(BenchContext context, ServerSpec spec, Measurement m, ScenarioResult result)
    {
        var s = context.Sizes;
        await using var server = await ServerProcess.StartAsync(spec, context.ServerStart());
        IReadOnlyList<ChildProcess> processes = [server.Process];
        await using (var load = await LoadGroup.StartAsync(LoadSpec.For(server, s.CurveSubscribers)))
        {
            using var publisher = Publisher.For(server);
            var connected = load.Connected;
            if (!context.Quick)
            {
                await Deliveries.MeasureAsync(processes, load, publisher, PublishPlan.OnSchedule(s.PayloadRate, s.WarmUpStep), s.Quiet, connected, m);
            }
            foreach (var size in s.PayloadSizes)
            {
                var point = await Deliveries.MeasureAsync(processes, load, publisher, PublishPlan.OnSchedule(s.PayloadRate, s.CurvePoint, payloadBytes: size), s.Quiet, connected, m);
                point["payload"] = size;
                m.Points("payload").Add(point);
            }
            foreach (var count in s.PublisherCounts)
            {
                using var many = new Publisher(server.Kind, [server.PublishUrl], count, server.Kind == ServerKind.Nats ? PublishChannel.Nats : PublishChannel.Http);
                var point = await Deliveries.MeasureAsync(processes, load, many, PublishPlan.OnSchedule(s.PublishersRate, s.CurvePoint), s.Quiet, connected, m);
                point["publishers"] = count;
                m.Points("publishers").Add(point);
            }
        }

        var subscribers = s.Topics * s.SubscribersPerTopic;
        // The quick mode walks each server's topic routing; the one-topic point is the fan-out's path.
        foreach (var topics in context.Quick ? [s.Topics] : new[] { s.Topics, 1 })
        {
            await using var load = await LoadGroup.StartAsync(LoadSpec.For(server, subscribers) with { Topics = topics });
            using var publisher = Publisher.For(server);
            var perEvent = (double)load.Connected / topics;
            var rate = s.TopicDeliveries / perEvent;
            if (!context.Quick)
            {
                await Deliveries.MeasureAsync(processes, load, publisher, PublishPlan.OnSchedule(rate, s.WarmUpStep, topics), s.Quiet, perEvent, m);
            }
            var point = await Deliveries.MeasureAsync(processes, load, publisher, PublishPlan.OnSchedule(rate, s.CurvePoint, topics), s.Quiet, perEvent, m);
            point["subscribersPerEvent"] = perEvent;
            point["topics"] = topics;
            m.Points("topics").Add(point);
            BenchContext.Log(Format.Inv($"  {spec.Name} {topics} topics: {point["rate"]:N0} deliveries/s, {point["deliveredPct"]:0.0} %, p99 {point["p99"]:0.0} ms, {point["cpuPerDelivery"]:0.00} µs/delivery"));
        }
    }

    protected override void Summarize(BenchContext context, ScenarioResult result)
    {
        var servers = result.Measurements.Select(m => m.Server).Distinct().ToList();
        static string Flag(Dictionary<string, double> p) => p["sustained"] == 0 ? " ✗" : "";
        result.Tables.Add(Curves.Table(result, servers, "payload", "payload", "payload bytes", x => Format.Number(x, "N0"), "cpuPerDelivery", "0.00", "Payload size: server CPU µs per delivery (✗ not sustained: behind, late or lost)", Flag));
        result.Tables.Add(Curves.Table(result, servers, "payload", "payload", "payload bytes", x => Format.Number(x, "N0"), "p99", "0.0", "Payload size: p99 ms", Flag));
        result.Tables.Add(Curves.Table(result, servers, "payload", "payload", "payload bytes", x => Format.Number(x, "N0"), "bytesPerDelivery", "0", "Payload size: bytes on the wire per delivery"));
        result.Tables.Add(Curves.Table(result, servers, "publishers", "publishers", "publishers", x => Format.Number(x, "N0"), "cpuPerDelivery", "0.00", "Publishers at once: server CPU µs per delivery", Flag));
        result.Tables.Add(Curves.Table(result, servers, "publishers", "publishers", "publishers", x => Format.Number(x, "N0"), "p99", "0.0", "Publishers at once: p99 ms", Flag));
        result.Tables.Add(Curves.Table(result, servers, "topics", "subscribersPerEvent", "subscribers per event", x => Format.Number(x, "N0"), "cpuPerDelivery", "0.00", "Topics: server CPU µs per delivery", Flag));
        result.Tables.Add(Curves.Table(result, servers, "topics", "subscribersPerEvent", "subscribers per event", x => Format.Number(x, "N0"), "p99", "0.0", "Topics: p99 ms", Flag));

        var payloadCpu = Curves.Chart(result, servers, "payload", "payload", "cpuPerDelivery", "CPU per delivery against payload size", "payload bytes (log)", "µs per delivery (log)", logX: true, logY: true);
        payloadCpu.Caption = Growth.Describe($"From the smallest to the largest payload ({Ratio(context.Sizes.PayloadSizes)}× the bytes), CPU per delivery grows", payloadCpu.Series, x => Format.Inv($"{x:N0} B"), y => Format.Inv($"{y:0.00} µs"));
        var payloadP99 = Curves.Chart(result, servers, "payload", "payload", "p99", "p99 against payload size", "payload bytes (log)", "p99 ms (log)", logX: true, logY: true);
        payloadP99.Caption = Growth.Describe("p99", payloadP99.Series, x => Format.Inv($"{x:N0} B"), y => Format.Inv($"{y:0.0} ms"));
        var publishers = Curves.Chart(result, servers, "publishers", "publishers", "cpuPerDelivery", "CPU per delivery against publishers at once (same event rate)", "publishers (log)", "µs per delivery", logX: true);
        publishers.Caption = Growth.Describe("At the same event rate, spreading it over more publishing connections changes CPU per delivery", publishers.Series, x => Format.Inv($"{x:N0} publishers"), y => Format.Inv($"{y:0.00} µs"));
        var topics = Curves.Chart(result, servers, "topics", "subscribersPerEvent", "cpuPerDelivery", "CPU per delivery against subscribers per event (topics)", "subscribers per event (log)", "µs per delivery (log)", logX: true, logY: true);
        topics.Caption = Growth.Describe("With few subscribers per event, each event's own cost (publish request, store, framing) is shared by fewer deliveries", topics.Series, x => Format.Inv($"{x:N0} per event"), y => Format.Inv($"{y:0.00} µs"));
        result.Charts.AddRange([payloadCpu, payloadP99, publishers, topics]);
    }

    private static string Ratio(IReadOnlyList<int> sizes) => sizes.Count < 2 ? "1" : Format.Inv($"{(double)sizes[^1] / sizes[0]:0}");
}
