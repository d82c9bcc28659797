using System.Diagnostics;
using System.Globalization;
using Herald.Benchmarks.Orchestrator;
using Herald.Benchmarks.Reporting;
using Herald.Benchmarks.Servers;

namespace Herald.Benchmarks.Scenarios;

/// <summary>
/// Herald on NATS JetStream beside Herald on SQLite: one node on one NATS server (R1), and three nodes on a three-server
/// NATS cluster with every stream replicated three times (R3): ingest, fan-out across nodes, and how long the clients
/// of a killed node take to resume on another.
/// </summary>
public sealed class JetStreamScenario : Scenario
{
    private static readonly ServerSpec R1 = new("herald-jetstream-r1", ServerKind.Herald, "jetstream", "one Herald node on one nats-server with JetStream (file storage, R1)");
    private static readonly ServerSpec R3 = new("herald-jetstream-r3", ServerKind.Herald, "jetstream", "three Herald nodes on a three-server NATS cluster, streams replicated three times");

    public override string Name => "jetstream";

    public override string Title => "7. Herald on NATS JetStream: one node (R1) and three nodes on a three-server cluster (R3)";

    /// <summary>The quick mode walks the three-node path alone (one node is the same code; SQLite runs everywhere else).</summary>
    protected override IReadOnlyList<ServerSpec> ServersFor(BenchContext context)
        => !context.Servers.Contains(ServerSpec.Herald) ? [] : context.Quick ? [R3] : [ServerSpec.Herald, R1, R3];

    protected override string Describe(BenchContext context)
    {
        var s = context.Sizes;
        return Format.Inv($"Rows: **herald** on SQLite (one process, the default store) for comparison; **herald-jetstream-r1**: Herald with `--nats` on one nats-server with JetStream (file storage); **herald-jetstream-r3**: three Herald nodes on a three-server NATS cluster, `--Herald:Nats:Replicas=3`, all on this machine. CPU is every server process of the row (Herald and nats-server). Ingest as in section 4: {s.IngestPublishers} closed-loop HTTP publishers (spread over the nodes), {s.IngestDuration.TotalSeconds:0.#} s single events, then batches of {s.IngestBatch}. Fan-out: {s.JetStreamSubscribers:N0} subscribers (a third on each node for R3, one load process per node), events published into the first node at {string.Join(", ", s.JetStreamRates)} events/s; p50/p99 over all subscribers and per node. Failover (R3): the same subscribers, each knowing all three nodes; events published into the second node at {s.FailoverRate:0} events/s on one connection; the first node is killed (SIGKILL); its clients reconnect to the next node with since=<last id>; time from the kill until the last of them is live again, and lost/duplicated over the whole run. One round.{(context.Quick ? " Quick mode: the R3 row alone (R1 is the same code on one node; SQLite runs in every other section)." : "")}");
    }

    protected override async Task MeasureAsync(BenchContext context, ServerSpec spec, Measurement m, ScenarioResult result)
    {
        var s = context.Sizes;
        var nodes = spec == R3 ? 3 : 1;
        var nats = new List<NatsNode>();
        var servers = new List<ServerProcess>();
        try
        {
            if (spec.Store == "jetstream")
            {
                var clusterPorts = Enumerable.Range(0, nodes).Select(_ => FreePorts.Next()).ToList();
                nats.AddRange(await Task.WhenAll(Enumerable.Range(0, nodes).Select(i => NatsNode.StartAsync(
                    Path.Combine(context.TempDirectory, $"js-{spec.Name}-{i}"), s.Heartbeat, jetStream: true, clusterPorts: clusterPorts, index: i))));
                var urls = string.Join(',', nats.Select(n => n.ClientUrl));
                servers.AddRange(await Task.WhenAll(Enumerable.Range(0, nodes).Select(i => ServerProcess.StartAsync(spec, context.ServerStart() with
                {
                    Nats = urls,
                    Replicas = nodes,
                    NodeId = "node-" + i.ToString(CultureInfo.InvariantCulture),
                }))));
            }
            else
            {
                servers.Add(await ServerProcess.StartAsync(spec, context.ServerStart()));
            }
            List<ChildProcess> processes = [.. servers.Select(p => p.Process), .. nats.Select(n => n.Process)];
            var targets = servers.Select(p => p.Url).ToList();

            using (var ingest = new Publisher(ServerKind.Herald, targets, s.IngestPublishers, PublishChannel.Http))
            {
                await ingest.RunAsync(new PublishPlan { Duration = context.Quick ? TimeSpan.FromSeconds(0.2) : TimeSpan.FromSeconds(2) });
                await IngestScenario.MeasurePhaseAsync(processes, ingest, 1, s.IngestDuration, m, "ingestSingle");
                await IngestScenario.MeasurePhaseAsync(processes, ingest, s.IngestBatch, s.IngestDuration, m, "ingestBatch");
            }

            // Worker i holds node i's subscribers, and fails over to the next nodes in order.
            var perNode = targets.Select((_, i) => (IReadOnlyList<Uri>)[.. targets.Skip(i), .. targets.Take(i)]).ToList();
            await using (var load = await LoadGroup.StartAsync(new LoadSpec { Kind = ServerKind.Herald, Urls = perNode, Connections = s.JetStreamSubscribers, Workers = nodes == 1 ? 0 : nodes }))
            {
                using var publisher = Publisher.For(servers[0]);
                var connected = load.Connected;
                if (!context.Quick)
                {
                    await Deliveries.MeasureAsync(processes, load, publisher, PublishPlan.OnSchedule(s.JetStreamRates[0], s.WarmUpStep), s.Quiet, connected, m);
                }
                foreach (var rate in s.JetStreamRates)
                {
                    var point = await Deliveries.MeasureAsync(processes, load, publisher, PublishPlan.OnSchedule(rate, s.Step), s.Quiet, connected, m);
                    point["eventsPerSecond"] = rate;
                    m.Points("steps").Add(point);
                    BenchContext.Log(Format.Inv($"  {spec.Name} {rate} ev/s: {point["rate"]:N0} deliveries/s, {point["deliveredPct"]:0.00} %, p50 {point["p50"]:0.0} ms, p99 {point["p99"]:0.0} ms, {point["cpuPerDelivery"]:0.00} µs/delivery"));
                }
            }

            if (nodes > 1)
            {
                await FailoverAsync(context, servers, targets, perNode, m);
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
            foreach (var node in nats)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static async Task FailoverAsync(BenchContext context, List<ServerProcess> servers, List<Uri> targets, List<IReadOnlyList<Uri>> perNode, Measurement m)
    {
        var s = context.Sizes;
        // One connection into the second node: events are stored in the order of their numbers.
        using var publisher = new Publisher(ServerKind.Herald, [targets[1]], 1, PublishChannel.Http);
        await publisher.PublishOneAsync();
        var firstSeq = publisher.Published;
        var timeout = context.Quick ? TimeSpan.FromSeconds(20) : TimeSpan.FromSeconds(60);
        var track = (int)(s.FailoverRate * (timeout.TotalSeconds + 10)) + 100;
        await using var load = await LoadGroup.StartAsync(new LoadSpec { Kind = ServerKind.Herald, Urls = perNode, Connections = s.JetStreamSubscribers, Workers = perNode.Count, Reconnect = true, Track = track, TrackFrom = firstSeq });
        var onKilled = (load.Connected + perNode.Count - 1) / perNode.Count;
        await publisher.RunAsync(PublishPlan.OnSchedule(s.FailoverRate, TimeSpan.FromSeconds(context.Quick ? 0.5 : 2)));

        var killedAt = Stopwatch.GetTimestamp();
        servers[0].Process.Kill();
        var clock = Stopwatch.StartNew();
        Shared.WorkerMessage status;
        do
        {
            await publisher.RunAsync(PublishPlan.OnSchedule(s.FailoverRate, TimeSpan.FromSeconds(0.5)));
            status = LoadGroup.Merge("status", await load.StatusAsync());
        }
        while ((status.Losses < onKilled || status.Live < load.Connected) && clock.Elapsed < timeout);
        await publisher.RunAsync(PublishPlan.OnSchedule(s.FailoverRate, TimeSpan.FromSeconds(context.Quick ? 0.5 : 2)));
        var (report, _, _) = await load.ReportSeqAsync(publisher.Published - 1, s.Quiet + TimeSpan.FromSeconds(2));

        m.Values["failoverClients"] = status.Losses;
        m.Values["failoverLive"] = status.Live;
        m.Values["failoverSubscribers"] = load.Connected;
        m.Values["failoverSeconds"] = status.Losses >= onKilled && status.Live >= load.Connected && status.LastReconnectAt > 0
            ? (status.LastReconnectAt - killedAt) / (double)Stopwatch.Frequency
            : double.NaN;
        m.Values["failoverEvents"] = publisher.Published - firstSeq;
        m.Values["failoverLost"] = report.Lost;
        m.Values["failoverDuplicates"] = report.Duplicates;
        m.Values["failoverOutOfOrder"] = report.OutOfOrder;
        BenchContext.Log(Format.Inv($"  failover: {status.Losses:N0} clients moved, all live {m.Values["failoverSeconds"]:0.00} s after the kill, lost {report.Lost}, duplicated {report.Duplicates}, out of order {report.OutOfOrder}"));
    }

    protected override void Summarize(BenchContext context, ScenarioResult result)
    {
        var rows = result.Measurements.Select(m => m.Server).Distinct().ToList();
        if (rows.Count == 0)
        {
            result.Notes.Add("Not run: the run's servers do not include herald.");
            return;
        }
        var ingest = new Table { Title = "Ingest (all server processes' CPU)", Headers = ["row", "single events/s", "p99 ms", "CPU µs/event", $"batch of {context.Sizes.IngestBatch} events/s", "p99 ms", "CPU µs/event"] };
        foreach (var row in rows)
        {
            ingest.Rows.Add(
            [
                row,
                result.Spread(row, "ingestSingle").Format("N0"), result.Spread(row, "ingestSingleP99").Format("0.00"), result.Spread(row, "ingestSingleCpu").Format("0.0"),
                result.Spread(row, "ingestBatch").Format("N0"), result.Spread(row, "ingestBatchP99").Format("0.00"), result.Spread(row, "ingestBatchCpu").Format("0.0"),
            ]);
        }
        result.Tables.Add(ingest);

        var fanOut = new Table { Title = "Fan-out across nodes", Headers = ["row", "events/s", "deliveries/s", "delivered %", "p50 ms", "p99 ms", "p99 ms per node", "CPU µs/delivery (all processes)", "bytes/delivery"] };
        foreach (var row in rows)
        {
            foreach (var point in result.Of(row).SelectMany(m => m.Points("steps")))
            {
                var perNode = Enumerable.Range(0, 3).Where(i => point.ContainsKey($"p99w{i}")).Select(i => Format.Number(point[$"p99w{i}"], "0.0")).ToList();
                fanOut.Rows.Add(
                [
                    row, Format.Number(point["eventsPerSecond"], "0"), Format.Number(point["rate"], "N0"), Format.Number(point["deliveredPct"], "0.00"),
                    Format.Number(point["p50"], "0.0"), Format.Number(point["p99"], "0.0"), perNode.Count > 1 ? string.Join(" / ", perNode) : "", Format.Number(point["cpuPerDelivery"], "0.00"),
                    Format.Number(point["bytesPerDelivery"], "0"),
                ]);
            }
        }
        result.Tables.Add(fanOut);

        foreach (var m in result.Measurements.Where(m => !double.IsNaN(m.Get("failoverSubscribers"))))
        {
            result.Tables.Add(new Table
            {
                Title = "Failover: a Herald node killed",
                Headers = ["row", "subscribers", "clients of the killed node moved", "seconds from the kill until all live again", "events", "lost", "duplicated", "out of order"],
                Rows =
                {
                    new List<string>
                    {
                        m.Server, Format.Number(m.Get("failoverSubscribers"), "N0"), Format.Number(m.Get("failoverClients"), "N0"), Format.Number(m.Get("failoverSeconds"), "0.00"),
                        Format.Number(m.Get("failoverEvents"), "N0"), Format.Number(m.Get("failoverLost"), "N0"), Format.Number(m.Get("failoverDuplicates"), "N0"), Format.Number(m.Get("failoverOutOfOrder"), "N0"),
                    },
                },
            });
            FanOutScenario.Add(result, "jetstream.r3.failoverSeconds", "herald R3: seconds until a killed node's clients are live elsewhere", Spread.Of([m.Get("failoverSeconds")]), higherIsBetter: false);
        }
        foreach (var row in rows)
        {
            FanOutScenario.Add(result, $"jetstream.{row}.ingestSingle", $"{row}: single-event ingest events/s", result.Spread(row, "ingestSingle"), higherIsBetter: true);
            FanOutScenario.Add(result, $"jetstream.{row}.ingestBatch", $"{row}: batched ingest events/s", result.Spread(row, "ingestBatch"), higherIsBetter: true);
        }
        result.Notes.Add("Durable sync on and off was not measured: Debian's nats-server 2.9.10 has no `sync_interval` (added in 2.10), so JetStream here acknowledges once a quorum holds a message in memory and syncs to disk on its own schedule (every two minutes by default). SQLite's row fsyncs before every acknowledgement: the rows compare different durability.");
        var p99 = Curves.Chart(result, rows, "steps", "offered", "p99", "Fan-out p99 against delivery rate: SQLite, JetStream R1, R3", "deliveries/s offered", "p99 ms (log)", logY: true);
        p99.Caption = Growth.Describe("p99", p99.Series, Curves.Rate, y => Format.Inv($"{y:0.0} ms"));
        var cpu = Curves.Chart(result, rows, "steps", "offered", "cpuPerDelivery", "Fan-out CPU per delivery (all processes)", "deliveries/s offered", "µs per delivery");
        cpu.Caption = Growth.Describe("CPU per delivery, Herald and NATS processes together", cpu.Series, Curves.Rate, y => Format.Inv($"{y:0.00} µs"));
        result.Charts.AddRange([p99, cpu]);
        if (result.Measurements.FirstOrDefault(m => !double.IsNaN(m.Get("failoverSubscribers"))) is { } failover)
        {
            result.Checks.Add(new TargetCheck(
                "JetStream R3: the clients of a killed node resume on another, nothing lost or doubled",
                Format.Inv($"{failover.Get("failoverClients"):N0} moved, all live {failover.Get("failoverSeconds"):0.00} s after the kill; lost {failover.Get("failoverLost"):N0}, duplicated {failover.Get("failoverDuplicates"):N0}, out of order {failover.Get("failoverOutOfOrder"):N0}"),
                !double.IsNaN(failover.Get("failoverSeconds")) && failover.Get("failoverLost") == 0 && failover.Get("failoverDuplicates") == 0 && failover.Get("failoverOutOfOrder") == 0));
        }
    }
}
