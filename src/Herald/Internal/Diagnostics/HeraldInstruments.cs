using System.Diagnostics.Metrics;
using Herald.Internal.Connections;

namespace Herald.Internal.Diagnostics;

/// <summary>
/// The hub's counters as <see cref="System.Diagnostics.Metrics"/> instruments on the meter
/// <c>Herald</c>, for <c>dotnet-counters</c> and OpenTelemetry. Observable, so recording costs nothing.
/// </summary>
internal static class HeraldInstruments
{
    public const string MeterName = "Herald";

    public static Meter Create(IMeterFactory factory, HeraldMetrics m, ConnectionRegistry connections)
    {
        var meter = factory.Create(MeterName);
        meter.CreateObservableUpDownCounter("herald.connections", () => connections.Count, "{connection}", "Open WebSocket and SSE connections.");
        meter.CreateObservableCounter("herald.connections.accepted", () => m.ConnectionsTotal.Value, "{connection}", "Connections accepted since start-up.");
        meter.CreateObservableCounter("herald.events.published", () => m.EventsPublished.Value, "{event}", "Events stored and fanned out.");
        meter.CreateObservableCounter("herald.events.dropped", () => m.EventsDropped.Value, "{event}", "Fire-and-forget publishes refused or lost.");
        meter.CreateObservableCounter("herald.frames.sent", () => m.Snapshot(connections.All).FramesSent, "{frame}", "Frames written to clients.");
        meter.CreateObservableCounter("herald.frames.dropped", () => m.FramesDropped.Value, "{frame}", "Frames that could not be queued for a connection.");
        meter.CreateObservableCounter("herald.closes.slow_consumer", () => m.SlowConsumerCloses.Value, "{connection}", "Connections closed because their send queue overflowed.");
        meter.CreateObservableCounter("herald.closes.stale", () => m.StaleCloses.Value, "{connection}", "Connections closed for sending nothing within the client timeout.");
        meter.CreateObservableCounter("herald.replays", () => m.Replays.Value, "{replay}", "Replays completed.");
        meter.CreateObservableGauge("herald.broadcast.latency.p99", () => m.BroadcastLatency.Percentile(99).TotalMilliseconds, "ms", "Broadcast latency, 99th percentile since start-up.");
        return meter;
    }
}
