using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Herald.Client;

/// <summary>
/// Settings of a <see cref="HeraldClient"/>. They are validated when the client is created and must not
/// be changed afterwards.
/// </summary>
public sealed class HeraldClientOptions
{
    /// <summary>The default server: <c>http://localhost:8000</c>.</summary>
    public static readonly Uri DefaultServerUri = new("http://localhost:8000");

    /// <summary>
    /// The server: <c>http(s)://host:port</c> or <c>ws(s)://host:port</c>, optionally with a base path.
    /// http maps to ws and https to wss; <c>/ws/events</c> is appended unless the path already ends with it.
    /// HTTP requests (publish) go to the same host and base path. Default <c>http://localhost:8000</c>.
    /// </summary>
    public Uri ServerUri { get; set; } = DefaultServerUri;

    /// <summary>
    /// More nodes of the same hub (a multi-node hub behind no load balancer), in the form of <see cref="ServerUri"/>.
    /// The client connects to <see cref="ServerUri"/> first; whenever a connection attempt fails or a connection is
    /// lost, the next attempt goes to the next server in turn, keeping the session and the position, so it resumes
    /// exactly on whichever node answers. HTTP requests go to the server of the latest attempt. Default: empty.
    /// </summary>
    public IList<Uri> ServerUris { get; } = [];

    /// <summary>
    /// Topic patterns to subscribe to (<c>+</c> one level, <c>#</c> the rest). Default: empty, meaning
    /// <c>#</c> (everything); adding a pattern narrows the subscription to what is added.
    /// </summary>
    public IList<string> Topics { get; } = [];

    /// <summary>
    /// The session to use; null (the default) lets the server assign one. The client keeps the session and
    /// its resume token from each <c>welcome</c> and reuses them when it reconnects.
    /// </summary>
    public string? SessionId { get; set; }

    /// <summary>
    /// Where to start: deliver every stored event after this id, then live ones. Null (the default) starts
    /// at the server's newest event when the client first connects. Reconnects always resume from the
    /// last event delivered.
    /// </summary>
    public long? Since { get; set; }

    /// <summary>
    /// Headers sent with the WebSocket upgrade and every HTTP request, for example <c>Authorization: Bearer ...</c>
    /// or <c>Cookie: ...</c>. Their values are never logged.
    /// </summary>
    public IDictionary<string, string> RequestHeaders { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets the token for a server with authentication on (as SignalR's <c>AccessTokenProvider</c>): called before every
    /// connect and HTTP request, whose <c>Authorization: Bearer</c> header it sets, and when the server sends a
    /// <c>refresh</c> frame, whose answer it sends in-band without reconnecting. Return <see langword="null"/> for none.
    /// Tokens are never logged. Default <see langword="null"/>: no token.
    /// </summary>
    public Func<CancellationToken, ValueTask<string?>>? AccessTokenProvider { get; set; }

    /// <summary>The first reconnect delay. Default 1 second.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = ReconnectPolicy.DefaultMinDelay;

    /// <summary>The longest reconnect delay; delays double from <see cref="ReconnectMinDelay"/> up to it. Default 30 seconds.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = ReconnectPolicy.DefaultMaxDelay;

    /// <summary>The fraction (0 to 1) by which each reconnect delay is shortened at random. Default 0.2.</summary>
    public double ReconnectJitter { get; set; } = ReconnectPolicy.DefaultJitter;

    /// <summary>How many consecutive failed reconnect attempts are made before the client gives up and closes. Null (the default) is unlimited.</summary>
    public int? MaxReconnectAttempts { get; set; }

    /// <summary>
    /// How long the client waits without receiving any frame before it drops the socket as dead and
    /// reconnects (also the bound on opening a connection). Null (the default) means 3 times the heartbeat
    /// interval the server announces in <c>welcome</c>, or 90 seconds before the welcome.
    /// </summary>
    public TimeSpan? DeadServerTimeout { get; set; }

    /// <summary>The timeout before the first <c>welcome</c> when <see cref="DeadServerTimeout"/> is null: 90 seconds.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(90);

    /// <summary>How long an HTTP request (publish) may take. Default 30 seconds.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Accept any TLS server certificate (self-signed, expired, wrong host). Only for trusted networks; prefer
    /// <see cref="PinnedCertificateThumbprint"/>. Default false.
    /// </summary>
    public bool AcceptAnyServerCertificate { get; set; }

    /// <summary>
    /// The SHA-256 thumbprint (64 hex digits; colons and spaces ignored) of the only server certificate to
    /// accept, whether or not it chains to a trusted root. Default null (normal validation).
    /// </summary>
    public string? PinnedCertificateThumbprint { get; set; }

    /// <summary>
    /// How many received events (and, separately, direct messages) are kept until read; when full the
    /// oldest is dropped and counted. Default 10,000.
    /// </summary>
    public int BufferCapacity { get; set; } = BoundedBuffer<ClientEvent>.DefaultCapacity;

    /// <summary>
    /// Whether received events are buffered for <see cref="HeraldClient.ReadEventsAsync"/> and
    /// <see cref="HeraldClient.Drain"/>. Turn it off when only <see cref="HeraldClient.OnEvent"/> is used. Default true.
    /// </summary>
    public bool BufferEvents { get; set; } = true;

    /// <summary>Where the client logs (event ids 4000-4099); nothing by default.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message lists every problem.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (ServerUri is null || !ServerUri.IsAbsoluteUri || ServerUri.Scheme is not ("http" or "https" or "ws" or "wss"))
        {
            errors.Add($"ServerUri must be an absolute http, https, ws or wss URI (got '{ServerUri}').");
        }

        foreach (var uri in ServerUris)
        {
            if (uri is null || !uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https" or "ws" or "wss"))
            {
                errors.Add($"ServerUris must hold absolute http, https, ws or wss URIs (got '{uri}').");
            }
        }

        if (Topics.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("Topics must not hold empty topic patterns.");
        }

        if (SessionId is { Length: 0 })
        {
            errors.Add("SessionId must be null or non-empty.");
        }

        if (Since is < 0)
        {
            errors.Add("Since must be null or a non-negative event id.");
        }

        if (RequestHeaders.Keys.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("RequestHeaders must not have an empty name.");
        }

        if (ReconnectMinDelay <= TimeSpan.Zero)
        {
            errors.Add("ReconnectMinDelay must be positive.");
        }

        if (ReconnectMaxDelay < ReconnectMinDelay)
        {
            errors.Add("ReconnectMaxDelay must be at least ReconnectMinDelay.");
        }

        if (double.IsNaN(ReconnectJitter) || ReconnectJitter is < 0 or > 1)
        {
            errors.Add("ReconnectJitter must be between 0 and 1.");
        }

        if (MaxReconnectAttempts is < 0)
        {
            errors.Add("MaxReconnectAttempts must be null (unlimited) or at least 0.");
        }

        if (DeadServerTimeout is { } dead && dead <= TimeSpan.Zero)
        {
            errors.Add("DeadServerTimeout must be null or positive.");
        }

        if (HttpTimeout <= TimeSpan.Zero)
        {
            errors.Add("HttpTimeout must be positive.");
        }

        if (PinnedCertificateThumbprint is not null)
        {
            if (NormalizeThumbprint(PinnedCertificateThumbprint) is null)
            {
                errors.Add("PinnedCertificateThumbprint must be a SHA-256 thumbprint: 64 hex digits.");
            }

            if (AcceptAnyServerCertificate)
            {
                errors.Add("Set either AcceptAnyServerCertificate or PinnedCertificateThumbprint, not both.");
            }
        }

        if (BufferCapacity < 1)
        {
            errors.Add("BufferCapacity must be positive.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Herald client options: " + string.Join(" ", errors));
        }
    }

    /// <summary>The thumbprint as 64 upper-case hex digits, or null if it is not one.</summary>
    internal static string? NormalizeThumbprint(string value)
    {
        var hex = new string([.. value.Where(c => c is not (':' or ' ' or '-'))]).ToUpperInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    internal string Describe() => string.Create(CultureInfo.InvariantCulture, $"{ServerUri.Scheme}://{ServerUri.Authority}");
}
