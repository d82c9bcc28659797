using System.Text.Json;
using Herald.Client.Internal;
using Herald.Internal.Protocol;

namespace Herald.Client;

public sealed partial class HeraldClient
{
    /// <summary>Handles one frame; returns the dead-server timeout when a welcome announced the heartbeat.</summary>
    private async ValueTask<TimeSpan?> HandleFrameAsync(ServerConnection connection, List<string> connectTopics, ReadOnlyMemory<byte> utf8, CancellationToken token)
    {
        using var document = JsonDocument.Parse(utf8);
        var frame = document.RootElement;
        if (frame.ValueKind != JsonValueKind.Object || !frame.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            Log.InvalidFrame(_logger, "no string 'type'");
            return null;
        }

        switch (typeElement.GetString())
        {
            case "welcome":
                return await OnWelcomeAsync(connection, connectTopics, frame, token).ConfigureAwait(false);
            case "event":
                if (frame.TryGetProperty("data", out var eventData) && eventData.ValueKind == JsonValueKind.Object)
                {
                    Deliver(ClientEvent.Parse(eventData));
                }

                break;
            case "message":
                var message = frame.TryGetProperty("data", out var messageData) ? messageData.Clone() : default;
                _messages.Add(message);
                Raise(OnMessage, message, nameof(OnMessage));
                break;
            case "ping":
                await connection.SendAsync(ProtocolFrames.Pong(), token).ConfigureAwait(false);
                break;
            case "resumed":
                OnResumed(frame);
                break;
            case "error":
                OnError(frame);
                break;
            case "refresh":
                // The token runs out soon: send a fresh one on this connection, without reconnecting.
                if (await AccessTokenAsync(token).ConfigureAwait(false) is { } fresh)
                {
                    await connection.SendAsync(ProtocolFrames.Auth(fresh), token).ConfigureAwait(false);
                }

                break;
            default:
                // pong, subscribed, unsubscribed, published, ack, and anything newer: answers by ref, if any.
                _pending.TryComplete(frame);
                break;
        }

        return null;
    }

    private async ValueTask<TimeSpan?> OnWelcomeAsync(ServerConnection connection, List<string> connectTopics, JsonElement frame, CancellationToken token)
    {
        var connectionId = frame.GetProperty("connectionId").GetString() ?? string.Empty;
        var sessionId = frame.GetProperty("sessionId").GetString() ?? string.Empty;
        var heartbeat = frame.TryGetProperty("heartbeat", out var h) && h.TryGetInt32(out var seconds) ? seconds : 0;
        List<string> added;
        List<string> removed;
        lock (_sync)
        {
            _connectionId = connectionId;
            _sessionId = sessionId;
            _resumeToken = frame.GetProperty("resumeToken").GetString();
            added = [.. _topics.Except(connectTopics, StringComparer.Ordinal)];
            removed = [.. connectTopics.Except(_topics, StringComparer.Ordinal)];
            connection.Welcomed = true;
        }

        Log.Connected(_logger, Endpoints.Display, connectionId, sessionId, heartbeat);
        _policy.Reset();
        Volatile.Write(ref _lastError, null);
        SetState(HeraldConnectionState.Connected);
        TaskCompletionSource connected;
        lock (_sync)
        {
            connected = _connected;
        }

        connected.TrySetResult();

        // Topics changed while this connection was being opened: bring the server up to date.
        if (added.Count > 0)
        {
            await connection.SendAsync(ProtocolFrames.Subscribe(added), token).ConfigureAwait(false);
        }

        if (removed.Count > 0)
        {
            await connection.SendAsync(ProtocolFrames.Unsubscribe(removed), token).ConfigureAwait(false);
        }

        return _options.DeadServerTimeout ?? (heartbeat > 0 ? TimeSpan.FromSeconds(3.0 * heartbeat) : HeraldClientOptions.DefaultConnectTimeout);
    }

    private void Deliver(ClientEvent e)
    {
        var last = Interlocked.Read(ref _position);
        if (e.Id <= last)
        {
            Log.DuplicateDropped(_logger, e.Id, last);
            return;
        }

        Interlocked.Exchange(ref _position, e.Id);
        if (_options.BufferEvents && !_events.Add(e))
        {
            var dropped = _events.Dropped;
            if (dropped == 1 || dropped % 1000 == 0)
            {
                Log.BufferOverflow(_logger, dropped);
            }
        }

        Raise(OnEvent, e, nameof(OnEvent));
    }

    private void OnResumed(JsonElement frame)
    {
        var since = frame.TryGetProperty("since", out var s) && s.TryGetInt64(out var sinceValue) ? sinceValue : 0;
        var lastId = frame.TryGetProperty("lastId", out var l) && l.TryGetInt64(out var lastValue) ? lastValue : 0;
        var complete = !frame.TryGetProperty("complete", out var c) || c.ValueKind != JsonValueKind.False;
        if (complete)
        {
            Log.Resumed(_logger, since, lastId);
        }
        else
        {
            Log.ResumeIncomplete(_logger, since, lastId);
            // A server behind the client (its store was reset) carries on from its own last id: later events have ids at
            // or below the client's old position and must not be dropped as duplicates.
            if (lastId < Interlocked.Read(ref _position))
            {
                Interlocked.Exchange(ref _position, lastId);
            }

            Raise(ResumeIncomplete, new ResumeIncompleteEventArgs(since, lastId), nameof(ResumeIncomplete));
        }

        _pending.TryComplete(frame);
    }

    private void OnError(JsonElement frame)
    {
        var code = frame.TryGetProperty("code", out var c) ? c.GetString() ?? "error" : "error";
        var message = frame.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;
        if (!_pending.TryFail(frame, new HeraldClientException(message, code, null, null)))
        {
            Log.ServerError(_logger, code, message);
        }
    }
}
