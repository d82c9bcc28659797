using Microsoft.Extensions.Logging;

namespace Herald.Sqlite.Internal;

/// <summary>The SQLite store's log messages; ids 3000-3099. Payloads are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Opened the SQLite store {Path} (WAL, synchronous={Synchronous})")]
    public static partial void DatabaseOpened(ILogger logger, string path, SqliteSynchronous synchronous);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Closed the SQLite store {Path}")]
    public static partial void DatabaseClosed(ILogger logger, string path);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Cannot open the SQLite store: {Reason}")]
    public static partial void OpenFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Could not store a batch of {Count} events: {Reason}")]
    public static partial void AppendFailed(ILogger logger, int count, string reason, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Retention deleted {Deleted} events; the oldest stored id is now {FirstId}")]
    public static partial void RetentionDeleted(ILogger logger, long deleted, long firstId);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Retention pass failed; it will be retried")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "A session store write failed: {Reason}")]
    public static partial void SessionWriteFailed(ILogger logger, string reason, Exception exception);
}
