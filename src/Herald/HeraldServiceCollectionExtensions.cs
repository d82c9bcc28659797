using System.Diagnostics.Metrics;
using Herald;
using Herald.Internal.Cluster;
using Herald.Internal.Connections;
using Herald.Internal.Diagnostics;
using Herald.Internal.Dispatch;
using Herald.Internal.Http;
using Herald.Internal.Hub;
using Herald.Internal.Protocol;
using Herald.Internal.Publishing;
using Herald.Internal.Security;
using Herald.Internal.Sessions;
using Herald.Internal.Transports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Herald in a service collection.</summary>
public static class HeraldServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Herald hub (<see cref="IHeraldHub"/>), an in-memory event and session store unless another
    /// store is registered, a hosted service that starts the hub and closes its sockets on shutdown, the REST API's
    /// rate limit policy (<see cref="HeraldOptions.RateLimit"/>; it applies where the app calls <c>UseRateLimiter()</c>), and the health
    /// check <c>herald</c> tagged <c>ready</c> (unhealthy while shutting down or while the log cannot be read; map it
    /// with <c>MapHealthChecks</c>, filtering on the tag).
    /// Map the endpoints with <c>app.MapHerald()</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes <see cref="HeraldOptions"/>; applied after configuration binding.</param>
    public static IHeraldBuilder AddHerald(this IServiceCollection services, Action<HeraldOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<HeraldOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HeraldOptions>, HeraldOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEventStore>(sp => new InMemoryEventStore(timeProvider: sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ISessionStore, InMemorySessionStore>();
        services.TryAddSingleton<IClusterBus, InProcessClusterBus>();
        AddCore(services);
        services.AddRateLimiter(_ => { });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<RateLimiterOptions>, RestRateLimitSetup>());
        services.AddHostedService<HeraldHostedService>();
        services.AddHealthChecks().AddCheck<HubHealthCheck>(HubHealthCheck.Name, tags: [HubHealthCheck.ReadyTag], timeout: HealthCheckTimeout);
        return new HeraldBuilder(services);
    }

    /// <summary>
    /// The core's pieces, each given what it needs (docs/architecture.md shows how they connect): the publish path
    /// into the log, the dispatcher that follows the log, connections and their frames, sessions, and the hub
    /// that starts and stops them.
    /// </summary>
    private static void AddCore(IServiceCollection services)
    {
        services.TryAddSingleton<HeraldMetrics>();
        services.TryAddSingleton<SubscriptionIndex>();
        services.TryAddSingleton(sp => new Authenticator(Options(sp), sp.GetRequiredService<HeraldMetrics>(), Time(sp), sp));
        services.TryAddSingleton(sp => new HubHealthCheck(sp.GetRequiredService<ConnectionRegistry>(), sp.GetRequiredService<IEventStore>()));
        services.TryAddSingleton(sp => new ConnectionRegistry(Options(sp), sp.GetRequiredService<HeraldMetrics>(), Time(sp), Logger(sp, Log.ConnectionsCategory)));
        services.TryAddSingleton(sp => new SessionManager(
            sp.GetRequiredService<ISessionStore>(), Options(sp), Time(sp), sp.GetRequiredService<HeraldMetrics>(), Logger(sp, Log.ConnectionsCategory)));
        services.TryAddSingleton(sp => new EventAppender(
            sp.GetRequiredService<IEventStore>(), Options(sp), Time(sp), sp.GetRequiredService<HeraldMetrics>(), Logger(sp, Log.HubCategory)));
        services.TryAddSingleton(sp => new EventDispatcher(
            sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<SubscriptionIndex>(), sp.GetRequiredService<HeraldMetrics>(), Time(sp), Logger(sp, Log.HubCategory)));
        services.TryAddSingleton(sp => new ClientFrameHandler(
            sp.GetRequiredService<SessionManager>().Inboxes, sp.GetRequiredService<EventAppender>(), sp.GetRequiredService<Authenticator>(), Options(sp), Time(sp), sp.GetRequiredService<HeraldMetrics>()));
        services.TryAddSingleton(sp => new ConnectionFactory(
            sp.GetRequiredService<SubscriptionIndex>(), sp.GetRequiredService<IEventStore>(), Options(sp), Time(sp), sp.GetRequiredService<HeraldMetrics>(),
            sp.GetRequiredService<ClientFrameHandler>(), Logger(sp, Log.ConnectionsCategory)));
        services.TryAddSingleton(sp => new OriginPolicy(Options(sp)));
        services.TryAddSingleton(sp => new HttpConnectionLimit(Options(sp).MaxHttpConnectionsPerAddress, Logger(sp, Log.HttpCategory)));
        services.TryAddSingleton(sp => new HostCheck(sp.GetRequiredService<IOptionsMonitor<HostFilteringOptions>>(), sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        services.TryAddSingleton(sp => new WebSocketEndpoint(
            sp.GetRequiredService<ConnectionFactory>(), sp.GetRequiredService<ConnectionRegistry>(), sp.GetRequiredService<SessionManager>(), sp.GetRequiredService<Authenticator>(),
            sp.GetRequiredService<OriginPolicy>(), sp.GetRequiredService<HostCheck>(), Options(sp), Time(sp), Logger(sp, Log.HttpCategory)));
        services.TryAddSingleton(sp => new ClusterNode(
            sp.GetRequiredService<IClusterBus>(), sp.GetRequiredService<ConnectionRegistry>(), Options(sp), Time(sp), Logger(sp, Log.HubCategory)));
        services.TryAddSingleton(sp => new HubTimers(
            sp.GetRequiredService<ConnectionRegistry>(), sp.GetRequiredService<SessionManager>(), Options(sp), Time(sp), Logger(sp, Log.HubCategory)));
        services.TryAddSingleton(sp =>
        {
            if (sp.GetService<IMeterFactory>() is { } meters)
            {
                sp.GetRequiredService<HeraldMetrics>().Instruments = new HeraldInstruments(meters, sp.GetRequiredService<HeraldMetrics>(), sp.GetRequiredService<ConnectionRegistry>(), Options(sp).NodeId);
            }

            return new HubCore(
                sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<EventAppender>(), sp.GetRequiredService<EventDispatcher>(), sp.GetRequiredService<SessionManager>(),
                sp.GetRequiredService<ConnectionRegistry>(), sp.GetRequiredService<ClusterNode>(), sp.GetRequiredService<HubTimers>(), sp.GetRequiredService<HeraldMetrics>(), Options(sp), Time(sp), Logger(sp, Log.HubCategory));
        });
        services.TryAddSingleton<IHeraldHub>(sp => sp.GetRequiredService<HubCore>());
    }

    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    private static HeraldOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<HeraldOptions>>().Value;

    private static TimeProvider Time(IServiceProvider services) => services.GetRequiredService<TimeProvider>();

    private static ILogger Logger(IServiceProvider services, string category)
        => services.GetService<ILoggerFactory>()?.CreateLogger(category) ?? NullLogger.Instance;

    /// <summary>Adds the REST API's rate limit policy once, however often the options are configured.</summary>
    private sealed class RestRateLimitSetup : IConfigureOptions<RateLimiterOptions>
    {
        public void Configure(RateLimiterOptions options) => options.AddPolicy<RateLimitKey, RestRateLimit>(RestRateLimit.PolicyName);
    }

    private sealed class HeraldBuilder(IServiceCollection services) : IHeraldBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
