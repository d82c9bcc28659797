using System.Net.WebSockets;

namespace Herald.Internal.Protocol;

/// <summary>
/// A fixed name for each close code, for metric labels and log fields: the reason text of a close may be anything
/// an operator passed (<c>CloseConnection</c>), so it never becomes a label itself.
/// </summary>
internal static class CloseReasons
{
    public static string For(WebSocketCloseStatus status) => (int)status switch
    {
        1000 => "normal",
        1001 => "shutdown",
        1008 => "invalid_resume_token",
        1009 => "message_too_big",
        1011 => "replay_failed",
        4000 => "slow_consumer",
        4001 => "heartbeat_timeout",
        4002 => "session_taken_over",
        4003 => "closed_by_server",
        _ => "other",
    };
}
