using System.Net.WebSockets;

namespace Herald.Internal.Transports;

/// <summary>Protocol v1 over a WebSocket: every item is one text message.</summary>
internal sealed class WebSocketTransport(WebSocket socket, HubCore hub) : IConnectionTransport
{
    public bool ExpectsClientFrames => true;

    public bool HasSessions => true;

    public ValueTask SendAsync(object item)
    {
        var frame = item as byte[] ?? hub.EventFrame((HeraldEvent)item);
        return socket.SendAsync(new ReadOnlyMemory<byte>(frame), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
    }

    public async ValueTask CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(status, reason, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Abort() => socket.Abort();

    public Task ReceiveAsync(HeraldConnection connection) => connection.ReceiveWebSocketAsync(socket);
}
