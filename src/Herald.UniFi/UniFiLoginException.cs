namespace Herald.UniFi;

/// <summary>
/// A UniFi controller refused to log in or to serve a logged-in request. The message says what to do; it never
/// contains the password, cookies, tokens or CSRF values.
/// </summary>
public sealed class UniFiLoginException : Exception
{
    /// <summary>Creates an exception with <see cref="UniFiLoginFailure.Unexpected"/> as the reason.</summary>
    public UniFiLoginException()
        : this(UniFiLoginFailure.Unexpected, "The UniFi controller refused the login.")
    {
    }

    /// <summary>Creates an exception with <see cref="UniFiLoginFailure.Unexpected"/> as the reason.</summary>
    /// <param name="message">What happened and what to do.</param>
    public UniFiLoginException(string message)
        : this(UniFiLoginFailure.Unexpected, message)
    {
    }

    /// <summary>Creates an exception with <see cref="UniFiLoginFailure.Unexpected"/> as the reason.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public UniFiLoginException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = UniFiLoginFailure.Unexpected;
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="reason">Why the controller refused.</param>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="statusCode">The HTTP status the controller answered with, if any.</param>
    /// <param name="retryAfter">How long the controller asked the client to wait (<c>Retry-After</c>), if it said.</param>
    public UniFiLoginException(UniFiLoginFailure reason, string message, int? statusCode = null, TimeSpan? retryAfter = null)
        : base(message)
    {
        Reason = reason;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>Why the controller refused.</summary>
    public UniFiLoginFailure Reason { get; }

    /// <summary>The HTTP status the controller answered with, if any.</summary>
    public int? StatusCode { get; }

    /// <summary>How long the controller asked the client to wait (<c>Retry-After</c>), if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// Whether retrying cannot help: <see cref="UniFiLoginFailure.InvalidCredentials"/> and
    /// <see cref="UniFiLoginFailure.TwoFactorRequired"/> stop <see cref="UniFiSource"/>.
    /// </summary>
    public bool IsFatal => Reason is UniFiLoginFailure.InvalidCredentials or UniFiLoginFailure.TwoFactorRequired;
}
