using Microsoft.AspNetCore.Http;

namespace Herald.Internal.Http;

/// <summary>
/// Browser origins allowed to open a WebSocket or send a request that changes something (<see cref="CrossSiteCheck"/>).
/// ASP.NET Core allows every origin by default and CORS does not apply to WebSockets or to the requests a browser sends
/// without asking first, so Herald checks before the upgrade and before the request runs.
/// </summary>
internal sealed class OriginPolicy(HeraldOptions options)
{
    private readonly bool _allowAny = options.AllowedOrigins.Contains("*");
    private readonly HashSet<string> _allowed = new(options.AllowedOrigins.Where(o => o != "*").Select(Normalize), StringComparer.OrdinalIgnoreCase);

    public bool IsAllowed(HttpRequest request) => IsAllowed(request.Headers.Origin.ToString(), request.Host.Value);

    /// <summary>Whether a request from <paramref name="origin"/> (its Origin header) to <paramref name="host"/> (its Host header) may connect.</summary>
    public bool IsAllowed(string? origin, string? host)
    {
        if (string.IsNullOrEmpty(origin) || _allowAny)
        {
            // No Origin header: not a browser, so there is no cross-site page to protect against.
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (uri.IsLoopback || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // The server's own pages: same host and port as the request.
        if (string.Equals(uri.Authority, host, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return _allowed.Contains(Normalize(origin));
    }

    private static string Normalize(string origin) => origin.TrimEnd('/');
}
