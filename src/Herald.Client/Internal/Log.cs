using Microsoft.Extensions.Logging;

namespace Herald.Client.Internal;

/// <summary>
/// The client's log messages, event ids 4000-4099. Nothing here takes a header value, a cookie, a resume
/// token or a full connect URI (its query carries the resume token).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(4000, LogLevel.Debug, "Connecting to {Endpoint} (attempt {Attempt}, since {Since})")]
    public static partial void Connecting(ILogger logger, string endpoint, int attempt, long? since);

    [LoggerMessage(4001, LogLevel.Information, "Connected to {Endpoint} as connection {ConnectionId}, session {SessionId}; server heartbeat {Heartbeat} s")]
    public static partial void Connected(ILogger logger, string endpoint, string connectionId, string sessionId, int heartbeat);

    [LoggerMessage(4002, LogLevel.Warning, "Could not connect to {Endpoint}: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(4003, LogLevel.Warning, "Connection to {Endpoint} lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string endpoint, string reason);

    [LoggerMessage(4004, LogLevel.Warning, "No frame from {Endpoint} for {Timeout}; dropping the socket as dead")]
    public static partial void DeadServer(ILogger logger, string endpoint, TimeSpan timeout);

    [LoggerMessage(4005, LogLevel.Information, "Reconnecting in {Delay} (attempt {Attempt})")]
    public static partial void ReconnectScheduled(ILogger logger, TimeSpan delay, int attempt);

    [LoggerMessage(4006, LogLevel.Error, "Giving up after {Attempts} failed reconnect attempts")]
    public static partial void ReconnectGaveUp(ILogger logger, int attempts);

    [LoggerMessage(4007, LogLevel.Information, "Server closed the connection: {Status} {Description}")]
    public static partial void ServerClosed(ILogger logger, int status, string? description);

    [LoggerMessage(4008, LogLevel.Warning, "The server refused the resume token of session {SessionId}; starting a fresh session")]
    public static partial void ResumeTokenRefused(ILogger logger, string sessionId);

    [LoggerMessage(4009, LogLevel.Error, "Session {SessionId} was taken over by another connection; not reconnecting")]
    public static partial void SessionTakenOver(ILogger logger, string? sessionId);

    [LoggerMessage(4010, LogLevel.Warning, "Resume after event {Since} was incomplete (server replayed through {LastId}); events were dropped by retention")]
    public static partial void ResumeIncomplete(ILogger logger, long since, long lastId);

    [LoggerMessage(4011, LogLevel.Debug, "Resumed after event {Since} through {LastId}")]
    public static partial void Resumed(ILogger logger, long since, long lastId);

    [LoggerMessage(4012, LogLevel.Debug, "Dropped duplicate event {Id} (last delivered {LastId})")]
    public static partial void DuplicateDropped(ILogger logger, long id, long lastId);

    [LoggerMessage(4013, LogLevel.Warning, "Server error {Code}: {Message}")]
    public static partial void ServerError(ILogger logger, string code, string message);

    [LoggerMessage(4014, LogLevel.Warning, "Ignoring a frame that is not valid protocol JSON: {Reason}")]
    public static partial void InvalidFrame(ILogger logger, string reason);

    [LoggerMessage(4015, LogLevel.Error, "A {Callback} handler threw; the client carries on")]
    public static partial void CallbackFailed(ILogger logger, Exception exception, string callback);

    [LoggerMessage(4016, LogLevel.Debug, "State {Previous} -> {State}")]
    public static partial void StateChanged(ILogger logger, HeraldConnectionState previous, HeraldConnectionState state);

    [LoggerMessage(4017, LogLevel.Warning, "Could not read the server's last event id before the first connect ({Reason}); starting live")]
    public static partial void StartPositionUnknown(ILogger logger, string reason);

    [LoggerMessage(4018, LogLevel.Warning, "Event buffer full: dropped the oldest event ({Dropped} dropped so far)")]
    public static partial void BufferOverflow(ILogger logger, long dropped);

    [LoggerMessage(4050, LogLevel.Debug, "Background runner {Name} started")]
    public static partial void RunnerStarted(ILogger logger, string name);

    [LoggerMessage(4051, LogLevel.Error, "Background runner {Name} crashed; restarting in {Delay}")]
    public static partial void RunnerCrashed(ILogger logger, Exception exception, string name, TimeSpan delay);

    [LoggerMessage(4052, LogLevel.Critical, "Background runner {Name} crashed {Attempts} times in a row; giving up")]
    public static partial void RunnerGaveUp(ILogger logger, Exception exception, string name, int attempts);

    [LoggerMessage(4053, LogLevel.Debug, "Background runner {Name} stopped")]
    public static partial void RunnerStopped(ILogger logger, string name);

    [LoggerMessage(4054, LogLevel.Warning, "Background runner {Name} did not stop within {Timeout}")]
    public static partial void RunnerStopTimedOut(ILogger logger, string name, TimeSpan timeout);

    [LoggerMessage(4055, LogLevel.Warning, "Background runner {Name}: the loop returned before it was stopped")]
    public static partial void RunnerLoopReturned(ILogger logger, string name);
}
