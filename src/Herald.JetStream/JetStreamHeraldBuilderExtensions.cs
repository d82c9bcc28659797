using Herald;
using Herald.JetStream;
using Herald.JetStream.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the NATS JetStream backend with Herald.</summary>
public static class JetStreamHeraldBuilderExtensions
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Keeps events, sessions and their mailboxes in NATS JetStream and carries commands between nodes on NATS, so
    /// several Herald nodes run as one hub; replaces any other <see cref="IEventStore"/>, <see cref="ISessionStore"/> and
    /// <see cref="IClusterBus"/>. Options bind as <see cref="JetStreamOptions"/> (the standalone server binds
    /// <c>Herald:Nats</c>) and are validated at start-up; <see cref="JetStreamOptions.Url"/> is required. Adds the health
    /// check <c>nats</c>, tagged <c>ready</c> (and <c>backplane</c>, so <c>/api/health</c> shows it too): connected, and the events stream answers within 2 seconds.
    /// </summary>
    /// <param name="builder">Herald's builder.</param>
    /// <param name="configure">Adjusts the options after configuration binding; <see langword="null"/> keeps them.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHeraldBuilder UseJetStream(this IHeraldBuilder builder, Action<JetStreamOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<JetStreamOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JetStreamOptions>, JetStreamOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // One connection per node, shared by both stores and the bus; the container disposes it after them.
        services.TryAddSingleton(sp => new JetStreamConnection(
            sp.GetRequiredService<IOptions<JetStreamOptions>>().Value,
            sp.GetRequiredService<IOptions<HeraldOptions>>().Value.NodeId,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.RemoveAll<IEventStore>();
        services.AddSingleton<IEventStore>(sp => new JetStreamEventStore(
            sp.GetRequiredService<JetStreamConnection>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<JetStreamEventStore>()));
        services.RemoveAll<ISessionStore>();
        services.AddSingleton<ISessionStore>(sp => new JetStreamSessionStore(
            sp.GetRequiredService<JetStreamConnection>(),
            sp.GetRequiredService<IOptions<HeraldOptions>>().Value.SessionQueueLimit,
            sp.GetService<ILoggerFactory>()?.CreateLogger<JetStreamSessionStore>()));
        services.RemoveAll<IClusterBus>();
        services.AddSingleton<IClusterBus>(sp => new NatsClusterBus(
            sp.GetRequiredService<JetStreamConnection>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<NatsClusterBus>()));
        services.AddHealthChecks().AddCheck<JetStreamHealthCheck>(JetStreamHealthCheck.Name, tags: ["ready", "backplane"], timeout: ProbeTimeout);
        return builder;
    }
}
