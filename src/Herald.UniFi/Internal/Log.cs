using Microsoft.Extensions.Logging;

namespace Herald.UniFi.Internal;

/// <summary>Log messages of the UniFi source (event ids 5000-5099). Frame content is never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, Message = "Skipped a UniFi frame of {Length} bytes ({Error}): {Description}")]
    public static partial void FrameSkipped(ILogger logger, long length, UniFiFrameError error, string? description);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Skipped a UniFi frame of unknown message type {MessageType}")]
    public static partial void UnknownMessageType(ILogger logger, string messageType);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "Skipped {Count} invalid entries in a UniFi {MessageType} frame")]
    public static partial void InvalidEntries(ILogger logger, int count, string messageType);
}
