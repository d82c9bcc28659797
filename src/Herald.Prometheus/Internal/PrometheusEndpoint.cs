using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Herald.Prometheus.Internal;

/// <summary>
/// A meter provider of this app's own and OpenTelemetry's scraping endpoint on it. The provider listens only to the
/// <c>Herald</c> meter made by this app's <see cref="IMeterFactory"/>, so several hubs in one process (tests, an app
/// hosting two) each export their own numbers; it is disposed when the app stops.
/// </summary>
internal static class PrometheusEndpoint
{
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string path)
    {
        var services = endpoints.ServiceProvider;
        var factory = services.GetRequiredService<IMeterFactory>();
        var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(HeraldTelemetry.MeterName)
            .AddView(instrument => ReferenceEquals(instrument.Meter.Scope, factory) ? null : MetricStreamConfiguration.Drop)
            .AddPrometheusExporter(options =>
            {
                // Every scrape reads the hub now; a scrape costs little, and a cached answer would hide what just happened.
                options.ScrapeResponseCacheDurationMilliseconds = 0;

                // One meter, one process: scope labels and target_info would repeat what the job's labels say.
                options.ScopeInfoEnabled = false;
                options.TargetInfoEnabled = false;
            })
            .Build();
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(provider.Dispose);

        // Instruments appear once the hub exists; resolving it here makes them part of the first scrape.
        _ = services.GetRequiredService<IHeraldHub>();
        return endpoints.MapPrometheusScrapingEndpoint(path, provider, configureBranchedPipeline: null, optionsName: null);
    }
}
