using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Herald.JetStream.Internal;

/// <summary>
/// The JetStream backend's readiness (tagged <c>ready</c>): this node is connected to a NATS server and the events
/// stream answers. Not ready while NATS is unreachable (publishes then fail at once with 503).
/// </summary>
internal sealed class JetStreamHealthCheck(JetStreamConnection connection) : IHealthCheck
{
    public const string Name = "nats";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["node"] = connection.NodeId,
            ["connected"] = connection.IsConnected,
        };
        if (connection.ServerName is { } server)
        {
            data["server"] = server;
        }

        if (!connection.IsConnected)
        {
            return HealthCheckResult.Unhealthy("Not connected to NATS; reconnecting.", data: data);
        }

        try
        {
            var stream = await connection.JetStream.GetStreamAsync(connection.Options.EventsStream, cancellationToken: cancellationToken).ConfigureAwait(false);
            data["lastId"] = stream.Info.State.LastSeq;
            if (stream.Info.Cluster?.Leader is { } leader)
            {
                data["leader"] = leader;
            }
        }
        catch (Exception ex) when (NatsFailure.IsUnavailable(ex, cancellationToken))
        {
            return HealthCheckResult.Unhealthy($"The events stream does not answer: {ex.Message}", ex, data);
        }

        return HealthCheckResult.Healthy("Connected to NATS; the events stream answers.", data);
    }
}
