using Herald.UniFi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Server.UniFi;

/// <summary>
/// Runs the configured UniFi sources inside the server and publishes their WiFi events straight into
/// the hub (durable before the next frame is read, so a full store slows the reading instead of
/// dropping events). A source that fails to log in for good (wrong password, 2FA) stops alone.
/// </summary>
internal sealed partial class UniFiSourcesService(IReadOnlyList<UniFiControllerOptions> sources, IHeraldHub hub, ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<UniFiSourcesService>();

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(sources.Select(options => RunAsync(options, stoppingToken)));

    private async Task RunAsync(UniFiControllerOptions options, CancellationToken stoppingToken)
    {
        var topic = UniFiTopics.ForSite(options.Site);
        var source = new UniFiSource(options, loggers.CreateLogger<UniFiSource>());
        await using var disposeSource = source.ConfigureAwait(false);
        try
        {
            await source.RunAsync(
                async (events, ct) => await hub.PublishAsync([.. events.Select(e => new NewEvent(topic, e.Type, e.ToHeraldPayload()))], ct).ConfigureAwait(false),
                stoppingToken).ConfigureAwait(false);
        }
        catch (UniFiLoginException ex)
        {
            LogSourceStopped(_logger, options.Controller, ex.Message);
        }
    }

    [LoggerMessage(2000, LogLevel.Error, "UniFi source {Controller} stopped: {Reason}")]
    private static partial void LogSourceStopped(ILogger logger, Uri controller, string reason);
}
