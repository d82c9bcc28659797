using Herald.Dashboard.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Herald's dashboard and browser client.</summary>
public static class HeraldDashboardEndpointRouteBuilderExtensions
{
    /// <summary>The stable path of the browser client module, relative to where the dashboard is mapped: <c>/herald.js</c>.</summary>
    public const string ClientPath = "/herald.js";

    /// <summary>
    /// The path under which the dashboard's files and the versioned client are served:
    /// <c>/_herald/v1/</c> (for example <c>/_herald/v1/herald.js</c> and its types, <c>/_herald/v1/herald.d.ts</c>).
    /// </summary>
    public const string AssetsPath = "/_herald/v1/";

    /// <summary>
    /// Maps the live dashboard at <c>GET /</c>, the browser client at <see cref="ClientPath"/> and
    /// <see cref="AssetsPath"/><c>herald.js</c>, and the dashboard's files under <see cref="AssetsPath"/>. Everything
    /// is served from resources embedded in this assembly; nothing is loaded from elsewhere. The dashboard asks
    /// Herald's <c>GET /api/me</c> what its user may do, and hides what the server would refuse.
    /// </summary>
    /// <param name="endpoints">The app, or a route group to serve the dashboard under a path prefix. The dashboard
    /// calls Herald's API relative to where it is mapped, so map it beside <c>MapHerald()</c> (same app or group).</param>
    /// <returns>A builder for every dashboard endpoint, to add authorization or other conventions.</returns>
    public static IEndpointConventionBuilder MapHeraldDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var dashboard = endpoints.MapGroup(string.Empty);
        string[] getOrHead = [HttpMethods.Get, HttpMethods.Head];

        dashboard.MapMethods("/", getOrHead, DashboardEndpoints.Index)
            .WithName("Dashboard")
            .ExcludeFromDescription();
        dashboard.MapMethods(ClientPath, getOrHead, DashboardEndpoints.Client)
            .WithName("BrowserClient")
            .ExcludeFromDescription();
        dashboard.MapMethods(AssetsPath + "{**path}", getOrHead, DashboardEndpoints.Asset)
            .WithName("DashboardAssets")
            .ExcludeFromDescription();
        return dashboard;
    }
}
