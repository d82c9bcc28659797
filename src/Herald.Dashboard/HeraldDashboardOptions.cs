using Microsoft.AspNetCore.Http;

namespace Herald.Dashboard;

/// <summary>Settings of the dashboard mapped by <c>MapHeraldDashboard()</c>; configure with <c>services.Configure&lt;HeraldDashboardOptions&gt;(...)</c>.</summary>
public sealed class HeraldDashboardOptions
{
    /// <summary>
    /// Answers <c>GET /api/me</c> for a request: who the caller is and which grants they hold. The dashboard hides
    /// its publish form without <see cref="HeraldGrants.Publish"/> and the action to close a connection without
    /// <see cref="HeraldGrants.Admin"/>.
    /// </summary>
    /// <remarks>
    /// Default: <see cref="HeraldCapabilities.Everything"/> for every request, because Herald does not authenticate
    /// anyone yet and so refuses nothing. Authentication replaces this with a function of <c>HttpContext.User</c>.
    /// </remarks>
    public Func<HttpContext, HeraldCapabilities> Capabilities { get; set; } = static _ => HeraldCapabilities.Everything;
}
