using System.Buffers;
using System.Net.WebSockets;
using System.Threading.RateLimiting;
using Herald.Internal.Connections;
using Herald.Internal.Diagnostics;
using Herald.Internal.Protocol;
using Microsoft.Extensions.Logging;

namespace Herald.Internal.Transports;

/// <summary>
/// The read side of a WebSocket connection: whole client messages, up to the size limit and within the connection's
/// frame budget (<see cref="InboundFrameLimiter"/>), handed to the protocol's <see cref="ClientFrameHandler"/>. An idle
/// connection waits with an empty buffer, so it holds no receive buffer.
/// </summary>
internal sealed class WebSocketReceiver(ClientFrameHandler frames, HeraldOptions options, TimeProvider time, ILogger logger)
{
    private const int InitialReceiveBuffer = 4096;

    private readonly TokenBucketRateLimiterOptions? _bucket = InboundFrameLimiter.Bucket(options);

    /// <summary>Frames further apart than this never empty the bucket: one refills in the time.</summary>
    private readonly TimeSpan _refill = options.ClientFrameRate == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(1.0 / options.ClientFrameRate);

    private readonly string _rateLimited = $"Too many frames: this server takes {options.ClientFrameRate} per second, in bursts of up to {options.ClientFrameBurst}; this frame was not acted on. Slow down: a client that keeps on is disconnected.";

    /// <summary>Reads client frames until the client closes or goes away.</summary>
    public async Task ReceiveAsync(WebSocket socket, HeraldConnection connection)
    {
        // Made when frames first come closer together than the bucket refills: until then it would be full anyway, so
        // an idle connection, or one that only answers pings, holds none.
        InboundFrameLimiter? limiter = null;
        try
        {
            while (true)
            {
                // Wait with an empty buffer so an idle connection holds no receive buffer at all.
                var first = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                var previous = connection.LastSeen;
                connection.Touch();
                if (first.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var (buffer, length, type) = first.EndOfMessage
                    ? ([], 0, first.MessageType)
                    : await ReadMessageAsync(socket, connection).ConfigureAwait(false);
                try
                {
                    if (type == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    if (_bucket is not null && (limiter is not null || connection.LastSeen - previous < _refill))
                    {
                        limiter ??= new InboundFrameLimiter(_bucket, options, time);
                        var admission = limiter.Admit();
                        if (admission == FrameAdmission.Abusive)
                        {
                            RateLimited(connection);
                            return;
                        }

                        if (admission == FrameAdmission.Refused)
                        {
                            var reference = type == WebSocketMessageType.Text ? ClientFrame.FindRef(buffer.AsMemory(0, length)) : default;
                            connection.TrySend(ServerFrames.Error(ErrorCodes.RateLimited, _rateLimited, reference));
                            continue;
                        }
                    }

                    if (type == WebSocketMessageType.Binary)
                    {
                        connection.TrySend(ServerFrames.Error(ErrorCodes.BadRequest, "Invalid message format: frames are JSON text, not binary."));
                        continue;
                    }

                    await frames.HandleAsync(connection, buffer.AsMemory(0, length)).ConfigureAwait(false);
                }
                finally
                {
                    if (buffer.Length > 0)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // A dropped peer or an abort: the connection ends and is cleaned up by the caller.
            using (connection.BeginLogScope())
            {
                Log.ReceiveFailed(logger, connection.Id, ex.Message);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A fault of Herald's while handling a frame: said in the log and in the close, never a silent drop.
            using (connection.BeginLogScope())
            {
                Log.FrameFailed(logger, connection.Id, ex);
            }

            connection.RequestClose(CloseReason.InternalError);
        }
        finally
        {
            limiter?.Dispose();
        }
    }

    private void RateLimited(HeraldConnection connection)
    {
        using (connection.BeginLogScope())
        {
            Log.RateLimited(logger, connection.Id, options.MaxRateLimitedFrames, options.RateLimitWindow);
        }

        connection.RequestClose(CloseReason.RateLimited);
    }

    /// <summary>Reads one whole message into a pooled buffer that grows up to the size limit.</summary>
    /// <returns>The buffer (the caller returns it to the pool), the length and the type; <see cref="WebSocketMessageType.Close"/> when the socket closed or the message was too big.</returns>
    private async ValueTask<(byte[] Buffer, int Length, WebSocketMessageType Type)> ReadMessageAsync(WebSocket socket, HeraldConnection connection)
    {
        var maxSize = options.MaxMessageSize;
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length >= maxSize)
                {
                    TooBig(connection, maxSize);
                    return (buffer, 0, WebSocketMessageType.Close);
                }

                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxSize + 1));
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            var result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
            length += result.Count;
            if (length > maxSize)
            {
                TooBig(connection, maxSize);
                return (buffer, 0, WebSocketMessageType.Close);
            }

            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (buffer, length, result.MessageType);
            }
        }
    }

    private void TooBig(HeraldConnection connection, int maxSize)
    {
        using (connection.BeginLogScope())
        {
            Log.MessageTooBig(logger, connection.Id, maxSize);
        }

        connection.RequestClose(CloseReason.TooBig(maxSize));
    }
}
