using Microsoft.Extensions.Hosting;

namespace Herald.Internal.Hub;

/// <summary>
/// Starts the hub with the host. Sockets are closed when the application starts stopping, before the
/// web server waits for open requests, so graceful shutdown does not wait out the server's timeout.
/// </summary>
internal sealed class HeraldHostedService(HubCore hub, IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await hub.StartAsync(cancellationToken).ConfigureAwait(false);
        _stopping = lifetime.ApplicationStopping.Register(hub.BeginShutdown);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.DisposeAsync().ConfigureAwait(false);
        await hub.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
