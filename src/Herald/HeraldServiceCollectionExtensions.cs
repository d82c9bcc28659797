using Herald;
using Herald.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Herald in a service collection.</summary>
public static class HeraldServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Herald hub (<see cref="IHeraldHub"/>), an in-memory event and session store unless another
    /// store is registered, a hosted service that starts the hub and closes its sockets on shutdown, and the health
    /// check <c>herald</c> tagged <c>ready</c> (unhealthy while shutting down or while the store refuses writes; map it
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
        services.TryAddSingleton<IEventStore>(_ => new InMemoryEventStore());
        services.TryAddSingleton<ISessionStore, InMemorySessionStore>();
        services.TryAddSingleton<HubCore>();
        services.TryAddSingleton<IHeraldHub>(sp => sp.GetRequiredService<HubCore>());
        services.TryAddSingleton<Herald.Internal.Http.WebSocketEndpoint>();
        services.AddHostedService<HeraldHostedService>();
        services.AddHealthChecks().AddCheck<HubHealthCheck>(HubHealthCheck.Name, tags: [HubHealthCheck.ReadyTag], timeout: HealthCheckTimeout);
        return new HeraldBuilder(services);
    }

    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    private sealed class HeraldBuilder(IServiceCollection services) : IHeraldBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
