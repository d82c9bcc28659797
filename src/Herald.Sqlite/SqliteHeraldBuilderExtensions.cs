using Herald;
using Herald.Sqlite;
using Herald.Sqlite.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite stores with Herald.</summary>
public static class SqliteHeraldBuilderExtensions
{
    /// <summary>
    /// Stores events and queued session messages in one SQLite database (WAL mode), replacing any other
    /// <see cref="IEventStore"/> and <see cref="ISessionStore"/>. Options bind as <see cref="SqliteStoreOptions"/>
    /// and are validated at start-up. By default events are kept forever; set <see cref="SqliteStoreOptions.MaxEvents"/>
    /// or <see cref="SqliteStoreOptions.MaxAge"/> to bound them. Adds the health check <c>sqlite</c>, tagged <c>ready</c>:
    /// a probe write of its own (a <c>meta</c> row) within 2 seconds, as large as the last batch that failed, so a full
    /// disk shows as not ready until there is room again.
    /// </summary>
    /// <param name="builder">Herald's builder.</param>
    /// <param name="configure">Adjusts the options after configuration binding; <see langword="null"/> keeps them.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHeraldBuilder UseSqlite(this IHeraldBuilder builder, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<SqliteStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // One database (file, lock, writer) shared by both stores; the container disposes it after them.
        services.TryAddSingleton(sp => new SqliteDatabase(
            sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value,
            sp.GetService<ILoggerFactory>()?.CreateLogger<SqliteDatabase>()));
        services.RemoveAll<IEventStore>();
        services.AddSingleton<IEventStore>(sp => new SqliteEventStore(
            sp.GetRequiredService<SqliteDatabase>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<SqliteEventStore>()));
        services.RemoveAll<ISessionStore>();
        services.AddSingleton<ISessionStore>(sp => new SqliteSessionStore(
            sp.GetRequiredService<SqliteDatabase>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<SqliteSessionStore>()));
        services.AddHealthChecks().AddCheck<SqliteHealthCheck>(SqliteHealthCheck.Name, tags: ["ready"], timeout: ProbeTimeout);
        return builder;
    }

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
}
