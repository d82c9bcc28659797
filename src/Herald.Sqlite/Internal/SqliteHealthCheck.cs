using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Herald.Sqlite.Internal;

/// <summary>
/// The SQLite store's readiness (tagged <c>ready</c>): the database takes a write, proved by
/// <see cref="SqliteEventStore.ProbeWritesAsync"/>. After a failed append the probe is as large as the batch that failed,
/// so a server drained of traffic while its disk was full turns ready again once there is room for that, without a publish.
/// </summary>
internal sealed class SqliteHealthCheck(IEventStore store) : IHealthCheck
{
    public const string Name = "sqlite";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (store is not SqliteEventStore sqlite)
        {
            // Another store replaced this one after UseSqlite; it is not this check's to judge.
            return HealthCheckResult.Healthy("The event store is not SQLite.");
        }

        var data = new Dictionary<string, object> { ["path"] = sqlite.DatabasePath };
        try
        {
            await sqlite.ProbeWritesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EventStoreUnavailableException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message, ex, data);
        }
        catch (InvalidOperationException ex)
        {
            return HealthCheckResult.Unhealthy("The SQLite store has not started yet.", ex, data);
        }

        return HealthCheckResult.Healthy("The database takes writes.", data);
    }
}
