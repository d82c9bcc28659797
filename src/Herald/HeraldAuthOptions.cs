namespace Herald;

/// <summary>
/// Authentication and grants (<c>Herald:Auth</c>), docs/security.md. Off unless <see cref="Required"/>: then every
/// WebSocket, SSE stream, REST call and admin view needs an authenticated user, and does only what its grants allow.
/// </summary>
public sealed class HeraldAuthOptions
{
    /// <summary>
    /// Whether every request must be authenticated. Default <see langword="false"/>, except that <c>AddHeraldAuthentication()</c>
    /// (which <c>herald serve</c> calls) turns it on when a JWT key or an API key is configured.
    /// </summary>
    public bool Required { get; set; }

    /// <summary>
    /// The ASP.NET Core authentication scheme Herald asks, or <see langword="null"/> for the app's default scheme (an app
    /// that embeds Herald may use its own: cookies, OpenID Connect). <c>AddHeraldAuthentication()</c> sets
    /// <see cref="HeraldAuthentication.Scheme"/>, which takes JWTs and API keys. Default <see langword="null"/>.
    /// </summary>
    public string? Scheme { get; set; }

    /// <summary>
    /// How long before a connected user's token expires the server sends it a <c>refresh</c> frame; the connection
    /// closes with 4004 when the token expires without a fresh one. Default 30 seconds.
    /// </summary>
    public TimeSpan RefreshLead { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>JSON Web Tokens for subscribers (and services): how they are signed and whom they are for.</summary>
    public HeraldJwtOptions Jwt { get; } = new();

    /// <summary>API keys for publishers and services, each with a name, the SHA-256 of the key, and its grants. Default: none.</summary>
    public IList<HeraldApiKeyOptions> ApiKeys { get; } = [];

    /// <summary>Whether Prometheus' <c>/metrics</c> and <c>GET /api/metrics</c> need the admin grant while authentication is on. Default <see langword="true"/>.</summary>
    public bool MetricsRequireAdmin { get; set; } = true;

    /// <summary>
    /// Lets <c>herald serve</c> listen on an address other than loopback with authentication off. Default
    /// <see langword="false"/>: such a server refuses to start, since anyone who can reach it could read and publish everything.
    /// </summary>
    public bool AllowAnonymousOnPublicAddresses { get; set; }

    /// <summary>Whether a JWT key or an API key is configured.</summary>
    public bool HasCredentials => Jwt.HasKey || ApiKeys.Count > 0;
}
