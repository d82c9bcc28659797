using System.Net.WebSockets;

namespace Herald.Internal.Protocol;

/// <summary>WebSocket close codes Herald uses (docs/protocol.md lists them); 4000-4999 are Herald's own.</summary>
internal static class CloseCodes
{
    public const WebSocketCloseStatus GoingAway = WebSocketCloseStatus.EndpointUnavailable; // 1001
    public const WebSocketCloseStatus TooBig = WebSocketCloseStatus.MessageTooBig; // 1009
    public const WebSocketCloseStatus PolicyViolation = WebSocketCloseStatus.PolicyViolation; // 1008
    public const WebSocketCloseStatus SlowConsumer = (WebSocketCloseStatus)4000;
    public const WebSocketCloseStatus HeartbeatTimeout = (WebSocketCloseStatus)4001;
    public const WebSocketCloseStatus SessionTakenOver = (WebSocketCloseStatus)4002;
    public const WebSocketCloseStatus ClosedByServer = (WebSocketCloseStatus)4003;
}
