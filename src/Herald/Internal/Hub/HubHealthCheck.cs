using Herald.Internal.Connections;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Herald.Internal.Hub;

/// <summary>
/// The hub's readiness (tagged <c>ready</c>, so it joins <c>/readyz</c>): unhealthy while the hub shuts down or when the
/// log cannot be read. Whether the log takes writes is its backend's own check (the SQLite store's probe write, say),
/// registered beside this one.
/// </summary>
internal sealed class HubHealthCheck(ConnectionRegistry connections, IEventStore store) : IHealthCheck
{
    public const string Name = "herald";

    /// <summary>The tag of the checks that make up readiness.</summary>
    public const string ReadyTag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["connections"] = connections.Count, ["store"] = store.GetType().Name };
        if (connections.IsStopping)
        {
            return HealthCheckResult.Unhealthy("Herald is shutting down.", data: data);
        }

        try
        {
            data["lastId"] = (await store.GetBoundsAsync(cancellationToken).ConfigureAwait(false)).LastId;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The event store cannot be read: {ex.Message}", ex, data);
        }

        return HealthCheckResult.Healthy(data: data);
    }
}
