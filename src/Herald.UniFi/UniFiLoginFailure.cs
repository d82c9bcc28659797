namespace Herald.UniFi;

/// <summary>Why a UniFi controller refused a login or a request (<see cref="UniFiLoginException.Reason"/>).</summary>
public enum UniFiLoginFailure
{
    /// <summary>The controller answered in a way that fits no other reason (an unexpected status or body).</summary>
    Unexpected,

    /// <summary>
    /// The username or password is wrong (<c>api.err.Invalid</c>, or 401/403 on login). Fatal: the source stops
    /// rather than retry and risk locking the account.
    /// </summary>
    InvalidCredentials,

    /// <summary>
    /// The account requires multi-factor authentication (HTTP 499 or <c>api.err.Ubic2faTokenRequired</c>). Fatal:
    /// use a local account without 2FA.
    /// </summary>
    TwoFactorRequired,

    /// <summary>The controller is limiting login attempts (HTTP 429); the source waits before trying again.</summary>
    RateLimited,

    /// <summary>
    /// The controller still demanded a login (<c>api.err.LoginRequired</c> or 401) right after a fresh one;
    /// the source retries with back-off.
    /// </summary>
    LoginRequired,
}
