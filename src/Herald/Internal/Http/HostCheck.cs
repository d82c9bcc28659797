using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Internal.Http;

/// <summary>
/// The app's allowed hosts (ASP.NET Core's <see cref="HostFilteringOptions"/>, which <c>herald serve</c> sets from
/// <c>Herald:AllowedHosts</c>) for requests read below the HTTP layer, where the host filtering middleware does not
/// run: ASP.NET Core's own middleware decides, on a request carrying the same <c>Host</c>, so both paths apply one
/// rule. A page on a rebinding domain (DNS rebinding) names its own host, and is refused.
/// </summary>
internal sealed class HostCheck(IOptionsMonitor<HostFilteringOptions> options, ILoggerFactory loggers)
{
    private readonly HostFilteringMiddleware _filter = new(_ => Task.CompletedTask, loggers.CreateLogger<HostFilteringMiddleware>(), options);

    /// <summary>Whether a request with this <c>Host</c> header may be served; any may when no hosts are configured, as without the middleware.</summary>
    public async ValueTask<bool> IsAllowedAsync(string? host)
    {
        // No hosts configured, or '*' (any host that is not empty, and the socket paths take only heads with one).
        if (options.CurrentValue.AllowedHosts is not { Count: > 0 } hosts || (hosts.Contains("*") && !string.IsNullOrEmpty(host)))
        {
            return true;
        }

        var context = new DefaultHttpContext();
        context.Request.Protocol = HttpProtocol.Http11;
        context.Request.Headers.Host = host;
        await _filter.Invoke(context).ConfigureAwait(false);
        return context.Response.StatusCode != StatusCodes.Status400BadRequest;
    }

    public static readonly Refusal Refused = new(StatusCodes.Status400BadRequest, "Host not allowed", "This server does not answer to this host name (Herald:AllowedHosts).");
}
