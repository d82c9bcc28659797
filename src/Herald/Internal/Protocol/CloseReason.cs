namespace Herald.Internal.Protocol;

/// <summary>
/// Why a connection ends, as docs/protocol.md lists them: a WebSocket close code (4000-4999 are Herald's own)
/// and a short text. Transports carry it their own way: a WebSocket close frame, or a last comment on an SSE stream.
/// </summary>
/// <param name="Code">The close code.</param>
/// <param name="Text">What the client is told (at most 123 bytes of UTF-8 in a WebSocket close frame).</param>
/// <param name="Name">
/// A fixed name for the reason, for metric labels and log fields: the text of a 4003 may be anything an operator
/// passed, and one code may have several reasons (1008), so neither becomes a label itself.
/// </param>
internal readonly record struct CloseReason(int Code, string Text, string Name)
{
    /// <summary>The client closed, or the connection simply ended (1000).</summary>
    public static readonly CloseReason Normal = new(1000, string.Empty, "normal");

    /// <summary>The server is shutting down; reconnect elsewhere or shortly (1001).</summary>
    public static readonly CloseReason GoingAway = new(1001, "server shutting down", "shutdown");

    /// <summary>
    /// Another node released this node's sessions, having taken it for lost (it was cut off from the others); reconnect
    /// and resume, here or elsewhere (1001).
    /// </summary>
    public static readonly CloseReason Released = new(1001, "node lost the cluster; reconnect", "node_lost");

    /// <summary>The session was refused (1008).</summary>
    public static readonly CloseReason InvalidResumeToken = new(1008, "invalid resume token", "invalid_resume_token");

    /// <summary>The client kept sending frames after they were refused as too many (1008).</summary>
    public static readonly CloseReason RateLimited = new(1008, "rate limit exceeded", "rate_limited");

    /// <summary>A client frame was larger than the limit (1009).</summary>
    public static CloseReason TooBig(int maxSize) => new(1009, $"message exceeds {maxSize} bytes", "message_too_big");

    /// <summary>The server failed while serving the connection (1011).</summary>
    public static readonly CloseReason ReplayFailed = new(1011, "replay failed", "replay_failed");

    /// <summary>Handling a client frame failed in the server (1011): a fault of Herald's, logged as an error.</summary>
    public static readonly CloseReason InternalError = new(1011, "internal error", "internal_error");

    /// <summary>The send queue overflowed (4000).</summary>
    public static readonly CloseReason SlowConsumer = new(4000, "slow consumer", "slow_consumer");

    /// <summary>The client sent nothing within the client timeout (4001).</summary>
    public static readonly CloseReason HeartbeatTimeout = new(4001, "heartbeat timeout", "heartbeat_timeout");

    /// <summary>Another connection joined the same session (4002).</summary>
    public static readonly CloseReason SessionTakenOver = new(4002, "session resumed on another connection", "session_taken_over");

    /// <summary>The session was ended by the server or an operator (4003).</summary>
    public static readonly CloseReason SessionEnded = new(4003, "session ended", "closed_by_server");

    /// <summary>The user's token expired and no fresh one came in an <c>auth</c> frame (4004).</summary>
    public static readonly CloseReason TokenExpired = new(4004, "token expired", "token_expired");

    /// <summary>An operator or the application closed the connection (4003).</summary>
    public static CloseReason ClosedByServer(string text) => new(4003, text, "closed_by_server");
}
