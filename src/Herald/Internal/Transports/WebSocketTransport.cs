using System.Net.WebSockets;

namespace Herald.Internal.Transports;

/// <summary>
/// Protocol v1 over a WebSocket: every item is one text message. Over a <see cref="ICoalescingStream"/>, a run
/// of queued messages goes out in one write.
/// </summary>
internal sealed class WebSocketTransport(WebSocket socket, HubCore hub, ICoalescingStream? stream) : IConnectionTransport
{
    public bool ExpectsClientFrames => true;

    public bool HasSessions => true;

    public ValueTask SendAsync(object item, bool more)
    {
        if (stream is not null)
        {
            stream.HoldWrites = more;
        }

        var frame = item as byte[] ?? hub.EventFrame((HeraldEvent)item);
        return socket.SendAsync(new ReadOnlyMemory<byte>(frame), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
    }

    public async ValueTask CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (stream is not null)
        {
            stream.HoldWrites = false;
        }

        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(status, reason, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Abort() => socket.Abort();

    public Task ReceiveAsync(HeraldConnection connection) => connection.ReceiveWebSocketAsync(socket);
}
