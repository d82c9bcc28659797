using Microsoft.Extensions.Logging;

namespace Herald.Server;

/// <summary>The standalone server's own log lines. Event ids are stable: 2100-2199.</summary>
internal static partial class ServerLog
{
    /// <summary>The category of the server's own lines.</summary>
    public const string Category = "Herald.Server";

    [LoggerMessage(EventId = 2100, Message = "Authentication is off: anyone who can reach {Addresses} may read, publish and administer everything. Configure Herald:Auth before exposing it (docs/security.md)")]
    public static partial void AuthenticationOff(ILogger logger, LogLevel level, string addresses);
}
