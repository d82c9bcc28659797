using System.Net;
using Microsoft.Extensions.Logging;

namespace Herald.Internal.Diagnostics;

/// <summary>Herald's log messages. Event ids are stable: 1000-1099 hub, 1100-1199 HTTP and WebSocket endpoints.</summary>
internal static partial class Log
{
    /// <summary>The category of the hub's own lines (start, stop, publishing, fan-out, timers).</summary>
    public const string HubCategory = "Herald.Hub";

    /// <summary>The category of connection and session lines.</summary>
    public const string ConnectionsCategory = "Herald.Connections";

    /// <summary>The category of the HTTP and WebSocket endpoints' lines.</summary>
    public const string HttpCategory = "Herald.Http";

    [LoggerMessage(1000, LogLevel.Information, "Herald started with {Store}")]
    public static partial void Started(ILogger logger, string store);

    [LoggerMessage(1001, LogLevel.Information, "Herald shutting down; closing {Connections} connections")]
    public static partial void ShuttingDown(ILogger logger, int connections);

    [LoggerMessage(1002, LogLevel.Information, "Connection {ConnectionId} opened ({Transport}, session {SessionId}, {RemoteAddress})")]
    public static partial void Connected(ILogger logger, string connectionId, string transport, string sessionId, IPAddress? remoteAddress);

    [LoggerMessage(1003, LogLevel.Information, "Connection {ConnectionId} closed: {Reason} ({CloseCode}) after {DurationSeconds:0.###} s")]
    public static partial void Disconnected(ILogger logger, string connectionId, string reason, int closeCode, double durationSeconds);

    [LoggerMessage(1004, LogLevel.Debug, "Event {EventId} on {Topic} offered to {Subscriptions} subscriptions")]
    public static partial void Broadcast(ILogger logger, long eventId, string topic, int subscriptions);

    [LoggerMessage(1005, LogLevel.Warning, "Connection {ConnectionId} is a slow consumer: its send queue of {Capacity} frames is full; closing it")]
    public static partial void SlowConsumer(ILogger logger, string connectionId, int capacity);

    [LoggerMessage(1006, LogLevel.Information, "Connection {ConnectionId} sent nothing for {Timeout}; closing it as stale")]
    public static partial void StaleConnection(ILogger logger, string connectionId, TimeSpan timeout);

    [LoggerMessage(1007, LogLevel.Warning, "A send to connection {ConnectionId} took longer than {Timeout}; aborting it")]
    public static partial void SendTimedOut(ILogger logger, string connectionId, TimeSpan timeout);

    [LoggerMessage(1008, LogLevel.Debug, "Send to connection {ConnectionId} failed: {Reason}")]
    public static partial void SendFailed(ILogger logger, string connectionId, string reason);

    [LoggerMessage(1009, LogLevel.Debug, "Receive on connection {ConnectionId} ended: {Reason}")]
    public static partial void ReceiveFailed(ILogger logger, string connectionId, string reason);

    [LoggerMessage(1010, LogLevel.Warning, "Connection {ConnectionId} sent a message over {MaxSize} bytes; closing it with 1009")]
    public static partial void MessageTooBig(ILogger logger, string connectionId, int maxSize);

    [LoggerMessage(1011, LogLevel.Error, "Replay on connection {ConnectionId} failed")]
    public static partial void ReplayFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(1012, LogLevel.Error, "Storing {Count} events failed")]
    public static partial void AppendFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(1013, LogLevel.Error, "Fan-out of event {EventId} failed")]
    public static partial void DispatchFailed(ILogger logger, long eventId, Exception exception);

    [LoggerMessage(1014, LogLevel.Error, "Delivering queued messages to session {SessionId} failed")]
    public static partial void SessionDeliveryFailed(ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(1015, LogLevel.Error, "Session expiry sweep failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(1030, LogLevel.Warning, "Marking session {SessionId} away failed")]
    public static partial void SessionLeaveFailed(ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(1031, LogLevel.Error, "Following the session store's changes failed; following again")]
    public static partial void SessionWatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(1032, LogLevel.Error, "Following the event log failed; following again from event {LastId}")]
    public static partial void FollowFailed(ILogger logger, long lastId, Exception exception);

    [LoggerMessage(1040, LogLevel.Warning, "Sending '{Kind}' to the other nodes failed")]
    public static partial void ClusterSendFailed(ILogger logger, string kind, Exception exception);

    [LoggerMessage(1041, LogLevel.Error, "Listening to the cluster bus failed; listening again")]
    public static partial void ClusterListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(1042, LogLevel.Warning, "Ignored a cluster message '{Kind}' from node {Node}: {Reason}")]
    public static partial void ClusterMessageIgnored(ILogger logger, string kind, string node, string reason);

    [LoggerMessage(1043, LogLevel.Warning, "Node {Node} has not been heard since {LastHeard:o}; its sessions are released ({Released} were attached there)")]
    public static partial void NodeLost(ILogger logger, string node, DateTimeOffset lastHeard, int released);

    [LoggerMessage(1044, LogLevel.Warning, "Releasing the sessions of lost node {Node} failed; a later sweep or its restart releases them")]
    public static partial void NodeReleaseFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(1045, LogLevel.Warning, "Session {SessionId} was released by another node, which took this node for lost; its connection {ConnectionId} is closed to reconnect")]
    public static partial void SessionReleasedElsewhere(ILogger logger, string sessionId, string connectionId);

    [LoggerMessage(1050, LogLevel.Warning, "Connection {ConnectionId} had {Refused} frames refused as too many within {Window} and kept sending; closing it with 1008")]
    public static partial void RateLimited(ILogger logger, string connectionId, int refused, TimeSpan window);

    [LoggerMessage(1051, LogLevel.Error, "Handling a frame from connection {ConnectionId} failed; closing it with 1011")]
    public static partial void FrameFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(1100, LogLevel.Information, "WebSocket from origin {Origin} refused with 403: not in Herald:AllowedOrigins")]
    public static partial void OriginRejected(ILogger logger, string origin);

    [LoggerMessage(1101, LogLevel.Information, "Connection {ConnectionId} refused session {SessionId}: {Reason}")]
    public static partial void SessionRejected(ILogger logger, string connectionId, string sessionId, string reason);

    [LoggerMessage(1102, LogLevel.Error, "HTTP publish failed: {Reason}")]
    public static partial void HttpPublishFailed(ILogger logger, string reason);

    [LoggerMessage(1103, LogLevel.Warning, "Accepting a connection on {EndPoint} failed ({Error}); retrying shortly")]
    public static partial void AcceptFailed(ILogger logger, EndPoint endPoint, System.Net.Sockets.SocketError error);

    [LoggerMessage(1104, LogLevel.Error, "A connection taken straight from the listener failed")]
    public static partial void DirectConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(1121, LogLevel.Debug, "Connection from {RemoteAddress} closed at once: that address holds {Limit} HTTP connections (Herald:MaxHttpConnectionsPerAddress)")]
    public static partial void HttpConnectionRefused(ILogger logger, IPAddress? remoteAddress, int limit);

    [LoggerMessage(1120, LogLevel.Information, "{Method} {Path} from origin {Origin} refused with 403: not in Herald:AllowedOrigins")]
    public static partial void CrossSiteRefused(ILogger logger, string method, string path, string origin);
}
