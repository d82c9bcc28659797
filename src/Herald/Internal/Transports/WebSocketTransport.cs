using System.Net.WebSockets;
using Herald.Internal.Connections;
using Herald.Internal.Dispatch;
using Herald.Internal.Protocol;
using Herald.Internal.Transports.Direct;

namespace Herald.Internal.Transports;

/// <summary>
/// Protocol v1 over a WebSocket: every item is one text message. Over a <see cref="ICoalescingStream"/>, a run
/// of queued messages goes out in one write.
/// </summary>
internal sealed class WebSocketTransport(WebSocket socket, WebSocketReceiver receiver, ICoalescingStream? stream) : IConnectionTransport
{
    public bool ExpectsClientFrames => true;

    public ValueTask SendAsync(object item, bool more)
    {
        if (stream is not null)
        {
            stream.HoldWrites = more;
        }

        var frame = item as byte[] ?? ((EventFrame)item).WebSocket;
        return socket.SendAsync(new ReadOnlyMemory<byte>(frame), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
    }

    public async ValueTask CloseAsync(CloseReason reason)
    {
        if (stream is not null)
        {
            stream.HoldWrites = false;
        }

        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)reason.Code, reason.Text, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Abort() => socket.Abort();

    public Task ReceiveAsync(HeraldConnection connection) => receiver.ReceiveAsync(socket, connection);
}
