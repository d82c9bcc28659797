using System.Buffers;
using System.Net.WebSockets;

namespace Herald.UniFi.Internal;

/// <summary>
/// Reads whole WebSocket messages of at most a given size. A larger message is read to its end through a small
/// scratch buffer and discarded, so it never costs more memory than the limit. Optionally declares the
/// connection dead when no message arrives for a while. Not thread-safe; one reader per socket.
/// </summary>
internal sealed class UniFiSocketReader : IDisposable
{
    private const int ChunkBytes = 64 * 1024;

    private readonly WebSocket _socket;
    private readonly int _maxMessageBytes;
    private readonly TimeSpan? _silenceTimeout;
    private byte[] _buffer;
    private byte[] _scratch;
    private int _length;

    public UniFiSocketReader(WebSocket socket, int maxMessageBytes, TimeSpan? silenceTimeout)
    {
        _socket = socket;
        _maxMessageBytes = maxMessageBytes;
        _silenceTimeout = silenceTimeout;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(ChunkBytes, maxMessageBytes));
        _scratch = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    }

    /// <summary>The last message read, valid until the next read.</summary>
    public ReadOnlyMemory<byte> Frame => _buffer.AsMemory(0, _length);

    /// <summary>The size of the last oversized message, in bytes.</summary>
    public long OversizedLength { get; private set; }

    /// <summary>The close status the controller sent, after <see cref="SocketMessageKind.Closed"/>.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>The close description the controller sent, after <see cref="SocketMessageKind.Closed"/>.</summary>
    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    /// <summary>Reads the next message.</summary>
    /// <exception cref="TimeoutException">No message began or ended within the silence timeout; the socket is aborted.</exception>
    /// <exception cref="WebSocketException">The connection failed (including an unanswered keep-alive ping).</exception>
    public async ValueTask<SocketMessageKind> ReadAsync(CancellationToken cancellationToken)
    {
        _length = 0;
        long total = 0;
        var oversized = false;
        using var silence = _silenceTimeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = silence?.Token ?? cancellationToken;
        while (true)
        {
            if (silence is not null)
            {
                silence.CancelAfter(_silenceTimeout!.Value);
            }

            // Once the buffer holds the limit, anything more goes to the scratch buffer and makes the message oversized.
            var intoScratch = oversized || _length == _maxMessageBytes;
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(intoScratch ? _scratch.AsMemory(0, ChunkBytes) : NextChunk(), token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (silence is not null && silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                _socket.Abort();
                throw new TimeoutException($"The controller sent nothing for {_silenceTimeout} (SilenceTimeout); the connection is presumed dead.");
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return SocketMessageKind.Closed;
            }

            total += result.Count;
            if (!intoScratch)
            {
                _length += result.Count;
            }
            else if (result.Count > 0)
            {
                oversized = true;
            }

            if (result.EndOfMessage)
            {
                if (oversized)
                {
                    _length = 0;
                    OversizedLength = total;
                    return SocketMessageKind.Oversized;
                }

                return SocketMessageKind.Frame;
            }
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        ArrayPool<byte>.Shared.Return(_scratch);
        _buffer = [];
        _scratch = [];
    }

    /// <summary>The rest of the message buffer, grown as needed up to the limit.</summary>
    private Memory<byte> NextChunk()
    {
        if (_length == _buffer.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _maxMessageBytes));
            _buffer.AsSpan(0, _length).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = grown;
        }

        return _buffer.AsMemory(_length, Math.Min(_buffer.Length, _maxMessageBytes) - _length);
    }
}
