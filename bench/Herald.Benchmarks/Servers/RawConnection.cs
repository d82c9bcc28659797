using System.Net.WebSockets;
using System.Threading.Channels;

namespace Herald.Benchmarks.Servers;

/// <summary>
/// One raw subscriber: a bounded queue of pre-serialized frames and a writer loop, the least a
/// correct broadcaster needs (a slow client must not block the others or grow memory unboundedly).
/// </summary>
public sealed class RawConnection
{
    private const int QueueCapacity = 1024;

    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, SingleWriter = false });

    public RawConnection(WebSocket socket)
    {
        _socket = socket;
    }

    /// <summary>Queues a frame; a full queue means a slow consumer, which is cut off as Herald does.</summary>
    public void Enqueue(byte[] frame)
    {
        if (!_queue.Writer.TryWrite(frame))
        {
            _queue.Writer.TryComplete();
            _socket.Abort();
        }
    }

    public async Task RunAsync()
    {
        var writer = WriteLoopAsync();
        // Clients only send heartbeats; a small buffer is enough and partial messages are simply skipped.
        var buffer = new byte[64];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (WebSocketException)
        {
            // The client went away; the writer loop ends below.
        }
        catch (OperationCanceledException)
        {
            // Aborted as a slow consumer.
        }
        _queue.Writer.TryComplete();
        await writer;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var frame))
                {
                    await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
            }
        }
        catch (WebSocketException)
        {
            _socket.Abort();
        }
        catch (OperationCanceledException)
        {
            _socket.Abort();
        }
    }
}
