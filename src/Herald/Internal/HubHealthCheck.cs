using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Herald.Internal;

/// <summary>
/// The hub's readiness (tagged <c>ready</c>, so it joins <c>/readyz</c>): unhealthy while the hub shuts down, while the
/// store's most recent append failed (until an append or the store's own write probe succeeds), or when the store
/// cannot be read.
/// </summary>
internal sealed class HubHealthCheck(HubCore hub) : IHealthCheck
{
    public const string Name = "herald";

    /// <summary>The tag of the checks that make up readiness.</summary>
    public const string ReadyTag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["connections"] = hub.ConnectionCount, ["store"] = hub.Store.GetType().Name };
        if (hub.IsStopping)
        {
            return HealthCheckResult.Unhealthy("Herald is shutting down.", data: data);
        }

        if (hub.Metrics.LastAppendFailed)
        {
            return HealthCheckResult.Unhealthy("The event store's last append failed; publishes are refused until it takes writes again.", data: data);
        }

        try
        {
            data["lastId"] = (await hub.Store.GetBoundsAsync(cancellationToken).ConfigureAwait(false)).LastId;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The event store cannot be read: {ex.Message}", ex, data);
        }

        return HealthCheckResult.Healthy(data: data);
    }
}
