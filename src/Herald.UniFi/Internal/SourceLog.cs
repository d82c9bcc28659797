using Microsoft.Extensions.Logging;

namespace Herald.UniFi.Internal;

/// <summary>
/// Log messages of the controller connection (event ids 5100-5199). Passwords, cookies, tokens and CSRF values
/// are never logged.
/// </summary>
internal static partial class SourceLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "UniFi source: connecting to {Controller} (site {Site})")]
    public static partial void Connecting(ILogger logger, string controller, string site);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "UniFi source: the controller is {Kind} ({How})")]
    public static partial void KindKnown(ILogger logger, UniFiControllerKind kind, string how);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "UniFi source: logging in as {Username}")]
    public static partial void LoggingIn(ILogger logger, string username);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "UniFi source: connected to the events of site {Site}")]
    public static partial void Connected(ILogger logger, string site);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "UniFi source: reconnecting in {Delay} (attempt {Attempt}): {Reason}")]
    public static partial void Reconnecting(ILogger logger, TimeSpan delay, int attempt, string reason);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "UniFi source: stopped ({Reason})")]
    public static partial void Stopped(ILogger logger, string reason);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Error, Message = "UniFi source: login failed for good ({Failure}); stopping: {Description}")]
    public static partial void FatalLogin(ILogger logger, UniFiLoginFailure failure, string description);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Warning, Message = "UniFi source: the controller is rate-limiting logins; waiting {Delay} before the next one")]
    public static partial void RateLimited(ILogger logger, TimeSpan delay);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Information, Message = "UniFi source: the session was refused with HTTP {Status} ({Where}); logging in again")]
    public static partial void SessionExpired(ILogger logger, int status, string where);

    [LoggerMessage(EventId = 5109, Level = LogLevel.Error, Message = "UniFi source: the sink failed on {Count} events, which are lost")]
    public static partial void SinkFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 5110, Level = LogLevel.Error, Message = "UniFi source: the controller's TLS certificate was refused: {Description}")]
    public static partial void CertificateRefused(ILogger logger, string description);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Debug, Message = "UniFi source: the controller sent no CSRF token at login; continuing without one")]
    public static partial void NoCsrfToken(ILogger logger);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Debug, Message = "UniFi source: the controller replaced the CSRF token")]
    public static partial void CsrfTokenUpdated(ILogger logger);
}
