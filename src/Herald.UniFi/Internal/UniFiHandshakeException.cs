namespace Herald.UniFi.Internal;

/// <summary>The controller answered the WebSocket handshake with an HTTP status instead of switching protocols.</summary>
internal sealed class UniFiHandshakeException : IOException
{
    public UniFiHandshakeException(int statusCode, string message, Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }

    /// <summary>Whether the session was refused (401 or 403), so a new login may help.</summary>
    public bool IsSessionRefused => StatusCode is 401 or 403;
}
