using System.Buffers;
using System.Net.WebSockets;
using Herald.Internal.Protocol;

namespace Herald.Internal;

internal sealed partial class HeraldConnection
{
    private const int InitialReceiveBuffer = 4096;

    /// <summary>Reads client frames until the client closes or goes away.</summary>
    public async Task ReceiveWebSocketAsync(WebSocket socket)
    {
        try
        {
            while (true)
            {
                // Wait with an empty buffer so an idle connection holds no receive buffer at all.
                var first = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                Touch();
                if (first.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var (buffer, length, type) = first.EndOfMessage
                    ? ([], 0, first.MessageType)
                    : await ReadMessageAsync(socket).ConfigureAwait(false);
                try
                {
                    if (type == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    if (type == WebSocketMessageType.Binary)
                    {
                        TrySend(ServerFrames.Error(ErrorCodes.BadRequest, "Invalid message format: frames are JSON text, not binary."));
                        continue;
                    }

                    await HandleFrameAsync(buffer.AsMemory(0, length)).ConfigureAwait(false);
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
            using (BeginLogScope())
            {
                Log.ReceiveFailed(_logger, Id, ex.Message);
            }
        }
    }

    /// <summary>Reads one whole message into a pooled buffer that grows up to the size limit.</summary>
    /// <returns>The buffer (the caller returns it to the pool), the length and the type; <see cref="WebSocketMessageType.Close"/> when the socket closed or the message was too big.</returns>
    private async ValueTask<(byte[] Buffer, int Length, WebSocketMessageType Type)> ReadMessageAsync(WebSocket socket)
    {
        var maxSize = _hub.Options.MaxMessageSize;
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length >= maxSize)
                {
                    TooBig(maxSize);
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
                TooBig(maxSize);
                return (buffer, 0, WebSocketMessageType.Close);
            }

            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (buffer, length, result.MessageType);
            }
        }
    }

    /// <summary>Marks the client alive; any frame counts.</summary>
    private void Touch() => Volatile.Write(ref _lastSeenTicks, _hub.Time.GetUtcNow().UtcTicks);

    private void TooBig(int maxSize)
    {
        using (BeginLogScope())
        {
            Log.MessageTooBig(_logger, Id, maxSize);
        }

        RequestClose(CloseCodes.TooBig, $"message exceeds {maxSize} bytes");
    }

    private async ValueTask HandleFrameAsync(ReadOnlyMemory<byte> utf8)
    {
        var frame = ClientFrame.TryParse(utf8.Span, out var error, out var reference);
        if (frame is null)
        {
            _hub.Metrics.InvalidFrames.Increment();
            TrySend(ServerFrames.Error(ErrorCodes.BadRequest, error!, reference));
            return;
        }

        switch (frame.Type)
        {
            case "ping":
                TrySend(ServerFrames.Pong(_hub.Time.GetUtcNow(), frame.Ref));
                break;
            case "pong":
                break;
            case "subscribe":
                HandleSubscribe(frame);
                break;
            case "unsubscribe":
                HandleUnsubscribe(frame);
                break;
            case "message":
                _hub.Sessions.Receive(SessionId, frame.Data);
                if (!frame.Ref.IsEmpty)
                {
                    TrySend(ServerFrames.Ack(frame.Ref));
                }

                break;
            case "publish":
                await HandlePublishAsync(frame).ConfigureAwait(false);
                break;
            default:
                _hub.Metrics.InvalidFrames.Increment();
                TrySend(ServerFrames.Error(ErrorCodes.BadRequest, $"Invalid message format: unknown type '{frame.Type}'.", frame.Ref));
                break;
        }
    }

    private void HandleSubscribe(ClientFrame frame)
    {
        if (!TryParseTopics(frame, out var filters))
        {
            return;
        }

        if (frame.Since is { } since)
        {
            if (!StartReplay(since, filters, frame.Ref))
            {
                TrySend(ServerFrames.Error(ErrorCodes.Busy, "A replay is already running on this connection; subscribe again after its 'resumed' frame.", frame.Ref));
            }

            return;
        }

        Subscribe(filters);
        TrySend(ServerFrames.Subscription(subscribed: true, filters.Select(f => f.Pattern), frame.Ref));
    }

    private void HandleUnsubscribe(ClientFrame frame)
    {
        if (!TryParseTopics(frame, out var filters))
        {
            return;
        }

        lock (_sync)
        {
            _filters.ExceptWith(filters);
        }

        _hub.Index.Remove(this, filters);
        TrySend(ServerFrames.Subscription(subscribed: false, filters.Select(f => f.Pattern), frame.Ref));
    }

    private bool TryParseTopics(ClientFrame frame, out List<TopicFilter> filters)
    {
        filters = [];
        if (frame.Topics is not { Count: > 0 } topics)
        {
            _hub.Metrics.InvalidFrames.Increment();
            TrySend(ServerFrames.Error(ErrorCodes.BadRequest, $"Invalid message format: '{frame.Type}' needs a non-empty 'topics' array.", frame.Ref));
            return false;
        }

        foreach (var topic in topics)
        {
            if (!TopicFilter.TryParse(topic, out var filter, out var error))
            {
                _hub.Metrics.InvalidFrames.Increment();
                TrySend(ServerFrames.Error(ErrorCodes.BadRequest, error, frame.Ref));
                return false;
            }

            filters.Add(filter);
        }

        return true;
    }

    private async ValueTask HandlePublishAsync(ClientFrame frame)
    {
        if (!_hub.Options.AllowClientPublish)
        {
            TrySend(ServerFrames.Error(ErrorCodes.Forbidden, "Publishing over the WebSocket is disabled on this server (Herald:AllowClientPublish).", frame.Ref));
            return;
        }

        if (!EventInput.TryParseMany(frame.Data, _hub.Time, out var events, out var error))
        {
            _hub.Metrics.InvalidFrames.Increment();
            TrySend(ServerFrames.Error(ErrorCodes.BadRequest, error, frame.Ref));
            return;
        }

        try
        {
            var stored = await _hub.Pipeline.PublishAsync(events, CancellationToken.None).ConfigureAwait(false);
            TrySend(ServerFrames.Published([.. stored.Select(e => e.Id)], frame.Ref));
        }
        catch (EventStoreUnavailableException ex)
        {
            TrySend(ServerFrames.Error(ErrorCodes.Unavailable, ex.Message, frame.Ref));
        }
    }
}
