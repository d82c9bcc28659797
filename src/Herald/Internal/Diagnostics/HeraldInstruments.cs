using System.Diagnostics.Metrics;
using Herald.Internal.Connections;
using Herald.Internal.Protocol;

namespace Herald.Internal.Diagnostics;

/// <summary>
/// The hub's counters as <see cref="System.Diagnostics.Metrics"/> instruments on the meter <c>Herald</c>, for
/// Prometheus (<c>/metrics</c>), <c>dotnet-counters</c> and OpenTelemetry. Counts are observable (read from
/// <see cref="HeraldMetrics"/> on collection, so recording costs an increment); what needs tags per measurement
/// (closes) or a distribution (latencies) is recorded as it happens, which costs nothing while nobody listens.
/// Names follow OpenTelemetry's conventions; the Prometheus exporter adds the unit and <c>_total</c>
/// (<c>herald.delivery.latency</c> in <c>s</c> becomes <c>herald_delivery_latency_seconds</c>).
/// </summary>
internal sealed class HeraldInstruments
{
    public const string MeterName = HeraldTelemetry.MeterName;

    /// <summary>Histogram buckets for latencies, in seconds: 50 µs to 10 s.</summary>
    private static readonly double[] LatencyBuckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Histogram buckets for mailbox depths, in messages (the default limit is 100).</summary>
    private static readonly int[] DepthBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 10000];

    private readonly Counter<long> _closed;
    private readonly Histogram<double> _deliveryLatency;
    private readonly Histogram<double> _appendLatency;
    private readonly Histogram<int> _sessionQueueDepth;

    public HeraldInstruments(IMeterFactory factory, HeraldMetrics m, ConnectionRegistry connections, string nodeId)
    {
        // The factory owns and disposes the meter.
        var meter = factory.Create(MeterName);
        meter.CreateObservableGauge("herald.node.info", () => new Measurement<int>(1, new KeyValuePair<string, object?>("node", nodeId)), null, "Always 1; its node label names this node (Herald:NodeId), so several nodes' scrapes can be told apart.");
        var latencyAdvice = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets };
        meter.CreateObservableUpDownCounter("herald.connections", m.OpenConnections, "{connection}", "Open connections, by transport (websocket, sse).");
        meter.CreateObservableCounter("herald.connections.opened", m.OpenedConnections, "{connection}", "Connections opened since start-up, by transport.");
        _closed = meter.CreateCounter<long>("herald.connections.closed", "{connection}", "Connections closed, by transport, reason and close code.");
        meter.CreateObservableCounter("herald.events.published", () => m.EventsPublished.Value, "{event}", "Events stored and fanned out.");
        meter.CreateObservableCounter("herald.events.dropped", () => m.EventsDropped.Value, "{event}", "Fire-and-forget publishes refused (publish queue full) or lost (store failed).");
        meter.CreateObservableCounter("herald.deliveries", () => m.Deliveries.Value, "{event}", "Events handed to connections (queued for sending), live and replayed.");
        _deliveryLatency = meter.CreateHistogram("herald.delivery.latency", "s", "Time from the log accepting an event to its being handed to every matching connection on this node (live fan-out).", tags: null, advice: latencyAdvice);
        meter.CreateObservableCounter("herald.frames.sent", () => m.Snapshot(connections.All).FramesSent, "{frame}", "Frames written to clients.");
        meter.CreateObservableCounter("herald.send_queue.drops", () => m.FramesDropped.Value, "{frame}", "Frames that could not be queued for a connection because its send queue was full.");
        meter.CreateObservableCounter("herald.slow_consumer.closes", () => m.SlowConsumerCloses.Value, "{connection}", "Connections closed because their send queue overflowed.");
        meter.CreateObservableCounter("herald.heartbeat.timeouts", () => m.StaleCloses.Value, "{connection}", "Connections closed for sending nothing within the client timeout.");
        meter.CreateObservableCounter("herald.invalid_frames", () => m.InvalidFrames.Value, "{frame}", "Client frames answered with an error.");
        meter.CreateObservableCounter("herald.replays", m.ReplayOutcomes, "{replay}", "Replays (resumes) by outcome: complete, incomplete (part of the range was gone) or failed.");
        meter.CreateObservableCounter("herald.session.messages.queued", () => m.SessionMessagesQueued.Value, "{message}", "Direct messages queued for absent sessions.");
        _sessionQueueDepth = meter.CreateHistogram("herald.session.queue.depth", "{message}", "Messages in a session's mailbox right after a direct message was queued there, that one included.", tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = DepthBuckets });
        _appendLatency = meter.CreateHistogram("herald.store.append.latency", "s", "Time the event store took to store one batch (group commit).", tags: null, advice: latencyAdvice);
        meter.CreateObservableCounter("herald.store.append.errors", () => m.AppendErrors.Value, "{batch}", "Batches the event store failed to store.");
        meter.CreateObservableCounter("herald.auth.failures", m.AuthFailureCounts, "{request}", "Requests refused by authentication, by reason.");
    }

    public void Closed(string transport, CloseReason reason)
        => _closed.Add(1, new("transport", transport), new("reason", reason.Name), new("close_code", reason.Code));

    public void DeliveryLatency(TimeSpan latency) => _deliveryLatency.Record(latency.TotalSeconds);

    public void AppendLatency(TimeSpan latency) => _appendLatency.Record(latency.TotalSeconds);

    public void SessionQueueDepth(int depth) => _sessionQueueDepth.Record(depth);
}
