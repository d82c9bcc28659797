namespace Herald.UniFi.Tests.FakeController;

/// <summary>How a <see cref="FakeUniFiController"/> behaves; tests may change settings while it runs.</summary>
internal sealed class FakeControllerSettings
{
    public UniFiControllerKind Kind { get; init; } = UniFiControllerKind.UniFiOs;

    public string Username { get; init; } = "herald";

    public string Password { get; init; } = "s3cret-pässword";

    public TwoFactorMode TwoFactor { get; set; }

    /// <summary>A status <c>GET /</c> answers with instead of the kind's usual one (as behind some reverse proxies).</summary>
    public int? RootStatus { get; set; }

    /// <summary>How many of the next logins are answered 429.</summary>
    public int RateLimitedLogins { get; set; }

    /// <summary>The <c>Retry-After</c> seconds sent with a 429, if any.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>How long a login's session lasts.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Whether requests carrying an <c>Origin</c> header get 403, as newer firmware does.</summary>
    public bool RejectOrigin { get; set; } = true;

    /// <summary>Whether API requests get a new CSRF token in <c>X-Updated-Csrf-Token</c> (the old one stops working).</summary>
    public bool RotateCsrf { get; set; }

    /// <summary>After how many frames each socket is dropped abruptly (no close handshake), if set.</summary>
    public int? DropAfterFrames { get; set; }

    /// <summary>How many of the next sockets are accepted and then neither read nor written (pings go unanswered).</summary>
    public int SilentConnections { get; set; }
}
