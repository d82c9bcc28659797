using Herald.Client;
namespace Herald.UniFi;

/// <summary>
/// How <see cref="UniFiSource"/> reaches a UniFi Network controller. Checked by <see cref="Validate"/> when the
/// source is created.
/// </summary>
public sealed class UniFiControllerOptions
{
    /// <summary>The first reconnect delay of <see cref="DefaultReconnectDelay"/>: 15 seconds.</summary>
    public static readonly TimeSpan InitialReconnectDelay = TimeSpan.FromSeconds(15);

    /// <summary>The longest reconnect delay of <see cref="DefaultReconnectDelay"/> before jitter: 5 minutes.</summary>
    public static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromMinutes(5);

    private static readonly ReconnectPolicy DefaultBackOff = new(InitialReconnectDelay, MaxReconnectDelay, jitter: 0.1);

    /// <summary>
    /// The controller's base address, such as <c>https://192.168.1.1</c> (UniFi OS) or
    /// <c>https://unifi.lan:8443</c> (classic). Scheme, host, port and any path prefix are kept as given.
    /// Required.
    /// </summary>
    public required Uri Controller { get; set; }

    /// <summary>
    /// The site's short name as in the controller's URLs (<c>/manage/site/{site}</c>), not its display name;
    /// <c>default</c> unless changed. Also names the Herald topic (<see cref="UniFiTopics.ForSite"/>).
    /// </summary>
    public string Site { get; set; } = "default";

    /// <summary>The login name of a local controller account (cloud/SSO accounts with 2FA cannot log in). Required.</summary>
    public string Username { get; set; } = "";

    /// <summary>The account's password. Never logged; the CLI reads it from a file or an environment variable. Required.</summary>
    public string Password { get; set; } = "";

    /// <summary>
    /// The controller's kind, or <see langword="null"/> (the default) to detect it from <c>GET /</c>: 200 means
    /// <see cref="UniFiControllerKind.UniFiOs"/>, a redirect means <see cref="UniFiControllerKind.Classic"/>.
    /// </summary>
    public UniFiControllerKind? Kind { get; set; }

    /// <summary>
    /// Whether to accept any TLS certificate, as <c>--insecure</c> does; <see langword="false"/> by default.
    /// Prefer <see cref="PinnedCertificateSha256"/> for a self-signed controller.
    /// </summary>
    public bool AcceptAnyCertificate { get; set; }

    /// <summary>
    /// The SHA-256 thumbprint of the controller's certificate in hex (colons and spaces allowed, any case), or
    /// <see langword="null"/> (the default). When set, exactly that certificate is accepted, whatever its chain or
    /// host name; every other is refused. Applies to HTTP and the WebSocket alike.
    /// </summary>
    public string? PinnedCertificateSha256 { get; set; }

    /// <summary>
    /// How often a WebSocket ping is sent when nothing else is (30 seconds); zero turns keep-alive off.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long to wait for a ping's answer before the connection is declared dead and reopened (15 seconds);
    /// zero sends pings without expecting answers.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long the WebSocket may go without a message before it is declared dead and reopened, or
    /// <see langword="null"/> (the default) to rely on keep-alive alone: a quiet site can legitimately send
    /// nothing for a long time.
    /// </summary>
    public TimeSpan? SilenceTimeout { get; set; }

    /// <summary>
    /// The wait before reconnect attempt <c>n</c> (1, 2, ... consecutive failures; reset once connected);
    /// <see cref="DefaultReconnectDelay"/> unless changed. A rate-limited login waits the longest delay, taken as
    /// <c>ReconnectDelay(int.MaxValue)</c>, unless the controller sent <c>Retry-After</c>.
    /// </summary>
    public Func<int, TimeSpan> ReconnectDelay { get; set; } = DefaultReconnectDelay;

    /// <summary>The limit on one HTTP request or WebSocket handshake (30 seconds).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// 15 seconds doubling with each attempt up to 5 minutes, shortened by up to 10% at random so many
    /// sources do not reconnect in step (Herald.Client's <see cref="ReconnectPolicy"/>).
    /// </summary>
    /// <param name="attempt">The attempt number, 1 or more.</param>
    public static TimeSpan DefaultReconnectDelay(int attempt) => DefaultBackOff.DelayFor(attempt);

    /// <summary>Checks every setting and explains the first one that is wrong.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range.</exception>
    public void Validate()
    {
        if (Controller is null)
        {
            throw Invalid("Controller is required: the controller's address, such as https://192.168.1.1 or https://unifi.lan:8443.");
        }

        if (!Controller.IsAbsoluteUri || (Controller.Scheme != Uri.UriSchemeHttps && Controller.Scheme != Uri.UriSchemeHttp))
        {
            throw Invalid($"Controller must be an absolute https:// (or http://) address, not '{Controller}'.");
        }

        if (!string.IsNullOrEmpty(Controller.Query) || !string.IsNullOrEmpty(Controller.Fragment) || !string.IsNullOrEmpty(Controller.UserInfo))
        {
            throw Invalid("Controller must not carry a query, a fragment or user info; give the credentials as Username and Password.");
        }

        try
        {
            UniFiTopics.ForSite(Site);
        }
        catch (ArgumentException ex)
        {
            throw Invalid($"Site must be the site's short name (such as 'default'): {ex.Message}");
        }

        if (string.IsNullOrEmpty(Username))
        {
            throw Invalid("Username is required: a local account on the controller.");
        }

        if (string.IsNullOrEmpty(Password))
        {
            throw Invalid("Password is required.");
        }

        if (Kind is { } kind && !Enum.IsDefined(kind))
        {
            throw Invalid($"Kind must be UniFiOs, Classic or null (detect), not {kind}.");
        }

        if (PinnedCertificateSha256 is not null)
        {
            if (AcceptAnyCertificate)
            {
                throw Invalid("Set either AcceptAnyCertificate or PinnedCertificateSha256, not both.");
            }

            if (NormalizeThumbprint(PinnedCertificateSha256) is null)
            {
                throw Invalid("PinnedCertificateSha256 must be 64 hex digits (a SHA-256 thumbprint; colons and spaces allowed).");
            }
        }

        if (KeepAliveInterval < TimeSpan.Zero || KeepAliveTimeout < TimeSpan.Zero)
        {
            throw Invalid("KeepAliveInterval and KeepAliveTimeout must not be negative.");
        }

        if (SilenceTimeout is { } silence && silence <= TimeSpan.Zero)
        {
            throw Invalid("SilenceTimeout must be positive, or null to rely on keep-alive.");
        }

        if (ReconnectDelay is null)
        {
            throw Invalid("ReconnectDelay is required.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw Invalid("RequestTimeout must be positive.");
        }
    }

    /// <summary>The thumbprint as 64 upper-case hex digits, or null when it is not one.</summary>
    internal static string? NormalizeThumbprint(string value)
    {
        var hex = new string(value.Where(c => c is not (':' or ' ' or '-')).ToArray()).ToUpperInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    private static ArgumentException Invalid(string message)
        => new($"Invalid UniFi controller options: {message}", "options");
}
