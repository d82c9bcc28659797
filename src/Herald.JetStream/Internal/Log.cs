using Microsoft.Extensions.Logging;

namespace Herald.JetStream.Internal;

/// <summary>The JetStream backend's log messages; ids 3100-3199. Payloads and credentials are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Connected to NATS server {Server} (version {Version})")]
    public static partial void NatsConnected(ILogger logger, string server, string version);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Lost the connection to NATS; reconnecting")]
    public static partial void NatsDisconnected(ILogger logger);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Reconnected to NATS server {Server}")]
    public static partial void NatsReconnected(ILogger logger, string server);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Stream {Stream} ready: {Replicas} replica(s), {Storage} storage, {Messages} messages, sequence {FirstSeq}..{LastSeq}")]
    public static partial void StreamReady(ILogger logger, string stream, int replicas, string storage, long messages, ulong firstSeq, ulong lastSeq);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Following stream {Stream} failed after sequence {Sequence}; following again: {Reason}")]
    public static partial void FollowFailed(ILogger logger, string stream, ulong sequence, string reason);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Error, Message = "Stream {Stream} was created anew ({Created:o}; this node knew the one created {Previous:o}); its ids start over, so this node follows it from its start")]
    public static partial void StreamRecreated(ILogger logger, string stream, DateTimeOffset created, DateTimeOffset previous);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "Publishing {Count} events failed ({Reason}); retrying with the same message ids")]
    public static partial void PublishRetry(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Warning, Message = "Skipped message {Sequence} of stream {Stream}: {Reason}")]
    public static partial void SkippedMessage(ILogger logger, ulong sequence, string stream, string reason);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Warning, Message = "The cluster bus lost a message: {Reason}")]
    public static partial void BusFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "A follower asked for events after {AfterId}, beyond the end of stream {Stream}: the stream was created anew, so it is followed from its start")]
    public static partial void FollowedFromNewStream(ILogger logger, string stream, long afterId);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Warning, Message = "Sweeping sessions in NATS failed: {Reason}")]
    public static partial void SweepFailed(ILogger logger, string reason);
}
