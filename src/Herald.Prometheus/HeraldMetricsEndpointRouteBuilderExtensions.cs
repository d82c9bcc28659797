using Herald.Prometheus.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Herald's Prometheus endpoint.</summary>
public static class HeraldMetricsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET <paramref name="path"/></c>: the hub's instruments (meter <c>Herald</c> of this app's
    /// <see cref="System.Diagnostics.Metrics.IMeterFactory"/>) in the Prometheus text format, exported by OpenTelemetry's
    /// Prometheus exporter. Counters end in <c>_total</c>, units are in the names (<c>herald_delivery_latency_seconds</c>),
    /// and every scrape reads fresh values. Requires <c>AddHerald()</c>. The endpoint is open: add
    /// <c>.RequireAuthorization(...)</c> to the returned builder to restrict it.
    /// </summary>
    /// <param name="endpoints">The app or a route group.</param>
    /// <param name="path">The path to serve. Default <c>/metrics</c>.</param>
    /// <returns>The endpoint's builder, for authorization and other conventions.</returns>
    public static IEndpointConventionBuilder MapHeraldMetrics(this IEndpointRouteBuilder endpoints, string path = Herald.Prometheus.HeraldMetricsOptions.DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return PrometheusEndpoint.Map(endpoints, path)
            .WithName("PrometheusMetrics")
            .WithDisplayName("Herald Prometheus metrics")
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, null, ["text/plain"]));
    }
}
