using Herald.JetStream;
using Herald.Prometheus;
using Herald.Server.UniFi;
using Herald.Sqlite;
using Herald.UniFi;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Herald.Server;

/// <summary>
/// The standalone Herald server (<c>herald serve</c>): the hub, its endpoints, the dashboard at <c>/</c>, the OpenAPI
/// document and configuration from appsettings.json, <c>HERALD__</c> environment variables and the command line.
/// </summary>
public static class HeraldServer
{
    /// <summary>The address served when none is configured: <c>http://localhost:8000</c>.</summary>
    public const string DefaultUrl = "http://localhost:8000";

    /// <summary>Builds the server application; start it with <c>RunAsync</c> or <c>StartAsync</c>.</summary>
    /// <param name="args">Command-line arguments: <c>--urls</c> and any <c>--Herald:Setting=value</c>.</param>
    /// <param name="configure">Changes the builder before the app is built (tests use it to swap services).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // No reload-on-change: Herald reads its settings once, and the watcher on the content root would
        // otherwise wake on every write to a database kept under it (the default data/herald.db).
        var builder = WebApplication.CreateBuilder([NoConfigReload, .. args]);
        QuietRequestLogging(builder.Configuration);
        var unknown = SettingsSchema.FindUnknown(builder.Configuration);
        if (unknown.Count > 0)
        {
            throw new HeraldConfigurationException(unknown);
        }

        var section = builder.Configuration.GetSection(HeraldOptions.SectionName);
        var server = ReadServerOptions(section);
        ConfigureLogging(builder);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaultsUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        LimitConnections(builder, section, server);
        ConfigureListeners(builder, server);
        var auth = new HeraldAuthOptions();
        section.GetSection("Auth").Bind(auth);
        PublicBind.Check(builder.Configuration, auth);
        builder.Services.Configure<HostFilteringOptions>(o => o.AllowedHosts = [.. AllowedHosts.For(builder.Configuration, server.AllowedHosts, PublicBind.IsAuthenticating(auth))]);
        if (PublicBind.IsAuthenticating(auth))
        {
            // Authenticate every request up front, so HttpContext.User names the caller for the rate limiter's buckets.
            builder.Services.PostConfigure<AuthenticationOptions>(o => o.DefaultAuthenticateScheme ??= auth.Scheme ?? HeraldAuthentication.Scheme);
        }
        var herald = builder.Services.AddHerald().AddHeraldAuthentication();
        builder.Services.AddOptions<HeraldOptions>().Bind(section);
        UseStore(herald, section, ChooseStore(section, server));
        builder.Services.AddOptions<HeraldMetricsOptions>().Bind(builder.Configuration.GetSection(HeraldMetricsOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HeraldMetricsOptions>, HeraldMetricsOptionsValidator>();
        AddUniFiSources(builder.Services, section.GetSection(UniFiSourcesKey));
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Herald";
            document.Info.Description = "Herald's REST API. Live events flow over the WebSocket at /ws/events; its JSON protocol is served at " + ProtocolPath + ".";
            document.ExternalDocs = new OpenApiExternalDocs { Description = "WebSocket protocol v1", Url = new Uri(ProtocolPath, UriKind.Relative) };
            return Task.CompletedTask;
        }));
        configure?.Invoke(builder);
        ServerLogging.RedactSecrets(builder.Services);

        var app = builder.Build();
        // After authentication (which WebApplication puts first), so the REST API is limited per user where there is one.
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapGet(ProtocolPath, () => TypedResults.Text(ProtocolDocument.Value, "text/markdown; charset=utf-8"))
            .WithName("Protocol")
            .WithSummary("The WebSocket protocol (docs/protocol.md)");
        app.MapHerald();
        app.MapHeraldDashboard();
        HealthResponse.Map(app);
        MapMetrics(app);
        SayWhenAuthenticationIsOff(app);
        return app;
    }

    /// <summary>
    /// Keeps the process below its open-file limit. The hub holds at most <c>Herald:MaxConnections</c>
    /// WebSocket and SSE connections (default: the open-file limit less <see cref="OpenFileLimit.Headroom"/>,
    /// the HTTP cap and a margin) and answers 503 past it, before any upgrade. Kestrel backs it up: plain
    /// HTTP connections (REST, handshakes in progress) at <c>Herald:MaxHttpConnections</c> (default 256),
    /// upgraded ones at the hub's limit plus a margin for handshakes that race past the hub's check. Slow and silent
    /// connections are dropped sooner than Kestrel's defaults would: <c>Herald:RequestHeadersTimeout</c> and
    /// <c>Herald:KeepAliveTimeout</c>.
    /// </summary>
    private static void LimitConnections(WebApplicationBuilder builder, IConfigurationSection section, HeraldServerOptions server)
    {
        var http = server.MaxHttpConnections;
        var hubLimit = section.GetValue<int?>("MaxConnections") ?? (int?)OpenFileLimit.MaxWebSockets(http + UpgradeRaceMargin);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxConcurrentConnections = http;
            kestrel.Limits.RequestHeadersTimeout = server.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = server.KeepAliveTimeout;
            if (hubLimit is { } max)
            {
                kestrel.Limits.MaxConcurrentUpgradedConnections = max + UpgradeRaceMargin;
            }
        });
        builder.Services.PostConfigure<HeraldOptions>(options => options.MaxConnections ??= hubLimit);
    }

    /// <summary>
    /// Every listener closes a connection past <c>Herald:MaxHttpConnectionsPerAddress</c> at once. Unless
    /// <c>Herald:DirectWebSockets</c> is false, it also takes WebSocket handshakes for <c>/ws/events</c> below Kestrel's
    /// HTTP layer, and unless <c>Herald:SocketTransport</c> is false as well, complete handshakes are taken as
    /// connections are accepted, before Kestrel builds anything for them: an idle subscriber then costs about half the
    /// memory, and peak fan-out is higher.
    /// </summary>
    private static void ConfigureListeners(WebApplicationBuilder builder, HeraldServerOptions server)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            listen.UseHeraldConnectionLimits();
            if (server.DirectWebSockets)
            {
                listen.UseHeraldWebSockets();
            }
        }));
        if (server.DirectWebSockets && server.SocketTransport)
        {
            builder.WebHost.UseHeraldSockets();
        }
    }

    /// <summary>
    /// Serves <c>Herald:Metrics:Path</c> (default <c>/metrics</c>) for Prometheus unless <c>Herald:Metrics:Enabled</c> is false.
    /// </summary>
    private static void MapMetrics(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<HeraldMetricsOptions>>().Value;
        if (options.Enabled)
        {
            var metrics = app.MapHeraldMetrics(options.Path);
            if (app.Services.GetRequiredService<IOptions<HeraldOptions>>().Value.Auth.MetricsRequireAdmin)
            {
                metrics.RequireHeraldAdmin();
            }
        }
    }

    /// <summary>
    /// With authentication off (allowed on loopback, or beyond it with Herald:Auth:AllowAnonymousOnPublicAddresses), says
    /// so once the server listens: Information on loopback only, a Warning when it listens beyond.
    /// </summary>
    private static void SayWhenAuthenticationIsOff(WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<HeraldOptions>>().Value.Auth.Required)
        {
            return;
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var level = addresses.All(PublicBind.IsLoopback) ? LogLevel.Information : LogLevel.Warning;
            ServerLog.AuthenticationOff(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(ServerLog.Category), level, string.Join(", ", addresses));
        });
    }

    private const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>
    /// ASP.NET Core logs every request at Information, several lines each; at thousands of publishes a second
    /// that floods the console and costs the server about half its ingest rate. Like the ASP.NET Core
    /// templates' appsettings.json, Herald defaults <c>Logging:LogLevel:Microsoft.AspNetCore</c> to Warning,
    /// as the lowest-priority source, so appsettings.json, the environment or the command line still override it.
    /// </summary>
    private static void QuietRequestLogging(ConfigurationManager configuration)
        => configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new(AspNetCoreLogLevelKey, nameof(Microsoft.Extensions.Logging.LogLevel.Warning))],
        });

    private const string AspNetCoreLogLevelKey = "Logging:LogLevel:Microsoft.AspNetCore";

    private const int UpgradeRaceMargin = 64;

    private const string UniFiSourcesKey = "UniFi:Sources";

    /// <summary>Binds and checks <see cref="HeraldServerOptions"/>; a value that does not convert names its key.</summary>
    private static HeraldServerOptions ReadServerOptions(IConfigurationSection section)
    {
        HeraldServerOptions server;
        try
        {
            // Also binds every HeraldOptions value once, so one that does not convert fails here, naming its key.
            _ = section.Get<HeraldOptions>();
            _ = section.GetSection("Sqlite").Get<SqliteStoreOptions>();
            _ = section.GetSection("Nats").Get<JetStreamOptions>();
            _ = section.GetSection("Metrics").Get<HeraldMetricsOptions>();
            server = section.Get<HeraldServerOptions>() ?? new HeraldServerOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new HeraldConfigurationException(ex.Message, ex);
        }

        var errors = server.Validate();
        return errors.Count == 0 ? server : throw new HeraldConfigurationException(errors);
    }

    private static void ConfigureLogging(WebApplicationBuilder builder)
    {
        try
        {
            ServerLogging.Configure(builder);
        }
        catch (InvalidOperationException ex)
        {
            throw new HeraldConfigurationException(ex.Message, ex);
        }
    }

    /// <summary>Runs a UniFi source for each entry of <c>Herald:UniFi:Sources</c>; settings are checked at start-up.</summary>
    private static void AddUniFiSources(IServiceCollection services, IConfigurationSection sources)
    {
        var options = new List<UniFiControllerOptions>();
        foreach (var source in sources.GetChildren())
        {
            try
            {
                options.Add((source.Get<UniFiSourceSettings>() ?? new UniFiSourceSettings()).ToOptions());
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                throw new HeraldConfigurationException($"{source.Path}: {ex.Message}", ex);
            }
        }

        if (options.Count == 0)
        {
            return;
        }

        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<UniFiSourcesService>(sp, options));
    }

    /// <summary>The store named by <c>Herald:Store</c>: <c>sqlite</c> (the default) or <c>memory</c>.</summary>
    private static void UseStore(IHeraldBuilder herald, IConfigurationSection section, string store)
    {
        if (string.Equals(store, HeraldServerOptions.SqliteStore, StringComparison.OrdinalIgnoreCase))
        {
            herald.UseSqlite();
            herald.Services.AddOptions<SqliteStoreOptions>().Bind(section.GetSection("Sqlite"));
        }
        else if (string.Equals(store, HeraldServerOptions.JetStreamStore, StringComparison.OrdinalIgnoreCase))
        {
            herald.UseJetStream();
            herald.Services.AddOptions<JetStreamOptions>().Bind(section.GetSection("Nats"));
        }
    }

    /// <summary>
    /// <c>Herald:Nats:Url</c> selects JetStream unless <c>Herald:Store</c> names a store; naming another one beside a NATS
    /// URL is a mistake worth stopping for, and JetStream without a URL cannot start.
    /// </summary>
    private static string ChooseStore(IConfigurationSection section, HeraldServerOptions server)
    {
        var natsUrl = section["Nats:Url"];
        var named = section["Store"];
        if (string.IsNullOrEmpty(named))
        {
            return string.IsNullOrEmpty(natsUrl) ? server.Store : HeraldServerOptions.JetStreamStore;
        }

        if (!string.IsNullOrEmpty(natsUrl) && !string.Equals(named, HeraldServerOptions.JetStreamStore, StringComparison.OrdinalIgnoreCase))
        {
            throw new HeraldConfigurationException([$"Herald:Store is '{named}' but Herald:Nats:Url is set; remove one (a NATS URL means Herald:Store=jetstream)."]);
        }

        if (string.IsNullOrEmpty(natsUrl) && string.Equals(named, HeraldServerOptions.JetStreamStore, StringComparison.OrdinalIgnoreCase))
        {
            throw new HeraldConfigurationException(["Herald:Store is 'jetstream' but Herald:Nats:Url is not set; name the NATS servers (--nats nats://host:4222)."]);
        }

        return named;
    }

    /// <summary>Where the server serves the WebSocket protocol document.</summary>
    public const string ProtocolPath = "/docs/protocol.md";

    private static readonly Lazy<string> ProtocolDocument = new(() =>
    {
        using var stream = typeof(HeraldServer).Assembly.GetManifestResourceStream("Herald.Server.protocol.md")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private const string WebHostDefaultsUrlsKey = "urls";
}
