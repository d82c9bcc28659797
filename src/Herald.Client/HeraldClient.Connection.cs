using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Herald.Client.Internal;

namespace Herald.Client;

public sealed partial class HeraldClient
{
    private const int MaxFrameSize = 16 * 1024 * 1024;
    private const WebSocketCloseStatus InvalidResumeTokenClose = WebSocketCloseStatus.PolicyViolation;
    private const WebSocketCloseStatus SessionTakenOverClose = (WebSocketCloseStatus)4002;

    /// <summary>Subscribes to more topic patterns; they are kept across reconnects.</summary>
    /// <param name="topics">Topic patterns (<c>+</c> one level, <c>#</c> the rest).</param>
    /// <param name="cancellationToken">Stops waiting for the server's confirmation.</param>
    /// <returns>Completes when the server confirmed, or at once while disconnected (the next connection subscribes).</returns>
    /// <exception cref="HeraldClientException">The server refused a pattern.</exception>
    public Task SubscribeAsync(IEnumerable<string> topics, CancellationToken cancellationToken)
        => ChangeSubscriptionAsync(subscribe: true, topics, cancellationToken);

    /// <summary>Removes topic patterns subscribed before.</summary>
    /// <param name="topics">Patterns exactly as subscribed.</param>
    /// <param name="cancellationToken">Stops waiting for the server's confirmation.</param>
    /// <returns>Completes when the server confirmed, or at once while disconnected.</returns>
    /// <exception cref="HeraldClientException">The server refused a pattern.</exception>
    public Task UnsubscribeAsync(IEnumerable<string> topics, CancellationToken cancellationToken)
        => ChangeSubscriptionAsync(subscribe: false, topics, cancellationToken);

    /// <summary>Sends a <c>message</c> frame to the server (it reaches the server's session message handlers) and waits for its <c>ack</c>.</summary>
    /// <param name="data">Any JSON value.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="HeraldClientException">Not connected, or the connection dropped before the ack (code <c>connection_lost</c>).</exception>
    public async Task SendMessageAsync(JsonElement data, CancellationToken cancellationToken)
    {
        var connection = CurrentConnection() ?? throw new HeraldClientException("Not connected to the Herald server.", "not_connected", null, null);
        var reference = NextRef();
        var frame = Write(w =>
        {
            w.WriteString("type", "message");
            w.WritePropertyName("data");
            data.WriteTo(w);
            w.WriteString("ref", reference);
        });
        await SendRequestAsync(connection, reference, frame, completeOnDisconnect: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task ChangeSubscriptionAsync(bool subscribe, IEnumerable<string> topics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var list = topics.ToList();
        if (list.Count == 0 || list.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Give at least one non-empty topic pattern.", nameof(topics));
        }

        ServerConnection? connection;
        lock (_sync)
        {
            foreach (var topic in list)
            {
                if (subscribe)
                {
                    if (!_topics.Contains(topic, StringComparer.Ordinal))
                    {
                        _topics.Add(topic);
                    }
                }
                else
                {
                    _topics.Remove(topic);
                }
            }

            connection = _current is { Welcomed: true } current ? current : null;
        }

        if (connection is null)
        {
            return;
        }

        var reference = NextRef();
        var frame = Write(w =>
        {
            w.WriteString("type", subscribe ? "subscribe" : "unsubscribe");
            w.WriteStartArray("topics");
            foreach (var topic in list)
            {
                w.WriteStringValue(topic);
            }

            w.WriteEndArray();
            w.WriteString("ref", reference);
        });
        await SendRequestAsync(connection, reference, frame, completeOnDisconnect: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendRequestAsync(ServerConnection connection, string reference, byte[] frame, bool completeOnDisconnect, CancellationToken cancellationToken)
    {
        var pending = new PendingRequest(new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously), completeOnDisconnect);
        _pending[reference] = pending;
        try
        {
            try
            {
                await connection.SendAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
            {
                if (completeOnDisconnect)
                {
                    return;
                }

                throw new HeraldClientException("The connection to the Herald server was lost before the request was sent.", ex);
            }

            if (CurrentConnection() != connection)
            {
                // The connection dropped while sending; a pending entry may have missed the sweep.
                FailPending();
            }

            await pending.Answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(reference, out _);
        }
    }

    private ServerConnection? CurrentConnection()
    {
        lock (_sync)
        {
            return _current is { Welcomed: true } current ? current : null;
        }
    }

    private string NextRef() => "c" + Interlocked.Increment(ref _nextRef).ToString(CultureInfo.InvariantCulture);

    /// <summary>Ends every request still waiting for an answer: the connection that would carry it is gone.</summary>
    private void FailPending()
    {
        foreach (var (reference, pending) in _pending)
        {
            if (_pending.TryRemove(reference, out _))
            {
                if (pending.CompleteOnDisconnect)
                {
                    pending.Answer.TrySetResult(default);
                }
                else
                {
                    pending.Answer.TrySetException(new HeraldClientException("The connection to the Herald server was lost before it answered.", "connection_lost", null, null));
                }
            }
        }
    }

    private async Task RunCoreAsync(TaskCompletionSource completed, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var token = stop.Token;
        var everConnected = false;
        string? closeReason = null;
        try
        {
            while (true)
            {
                token.ThrowIfCancellationRequested();
                SetState(everConnected ? HeraldConnectionState.Reconnecting : HeraldConnectionState.Connecting);
                var outcome = await RunConnectionAsync(token).ConfigureAwait(false);
                everConnected |= outcome.Welcomed;
                if (outcome.Terminal is { } reason)
                {
                    closeReason = reason;
                    break;
                }

                token.ThrowIfCancellationRequested();
                if (!_policy.CanRetry)
                {
                    Log.ReconnectGaveUp(_logger, _policy.Attempts);
                    closeReason = $"gave up after {_policy.Attempts} failed reconnect attempts";
                    break;
                }

                SetState(HeraldConnectionState.Reconnecting);

                var delay = _policy.NextDelay();
                Log.ReconnectScheduled(_logger, delay, _policy.Attempts);
                await Task.Delay(delay, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            closeReason = "the client was stopped";
        }
        finally
        {
            closeReason ??= "the connection loop failed";
            TaskCompletionSource connected;
            lock (_sync)
            {
                _runCompleted = null;
                _current = null;
                _connectionId = null;
                _closeReason = closeReason;
                connected = _connected;
            }

            FailPending();

            // Closed before the waiters hear of it, so whoever catches the exception sees the final state.
            SetState(HeraldConnectionState.Closed);
            connected.TrySetException(new HeraldClientException($"The Herald client closed: {closeReason}.", LastError));
            completed.TrySetResult();
        }
    }

    private async Task<ConnectionOutcome> RunConnectionAsync(CancellationToken token)
    {
        if (Interlocked.Read(ref _position) == UnknownPosition)
        {
            await ResolveStartPositionAsync(token).ConfigureAwait(false);
        }

        Uri uri;
        lock (_sync)
        {
            var position = Interlocked.Read(ref _position);
            uri = _endpoints.Connect(_topics, position == UnknownPosition ? null : position, _sessionId ?? _options.SessionId, _resumeToken);
        }

        List<string> connectTopics;
        lock (_sync)
        {
            connectTopics = [.. _topics];
        }

        Log.Connecting(_logger, _endpoints.Display, _policy.Attempts + 1, LastEventIdOrNull());
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        foreach (var (name, value) in _options.RequestHeaders)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        using var connection = new ServerConnection(socket);
        var deadTimeout = _options.DeadServerTimeout ?? HeraldClientOptions.DefaultConnectTimeout;
        using var watchdog = new CancellationTokenSource(deadTimeout);
        try
        {
            using var connecting = CancellationTokenSource.CreateLinkedTokenSource(token, watchdog.Token);
            await socket.ConnectAsync(uri, _invoker, connecting.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            token.ThrowIfCancellationRequested();
            Volatile.Write(ref _lastError, ex);
            Log.ConnectFailed(_logger, _endpoints.Display, Describe(ex));
            return new ConnectionOutcome(Welcomed: false, Terminal: null);
        }

        lock (_sync)
        {
            _current = connection;
        }

        using var stopping = token.Register(() =>
        {
            connection.Closing = true;
            watchdog.CancelAfter(CloseTimeout);
            _ = connection.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client closing", CloseTimeout);
        });
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var closed = await ReceiveFrameAsync(socket, buffer, watchdog.Token).ConfigureAwait(false);
                if (closed)
                {
                    break;
                }

                if (!connection.Closing)
                {
                    watchdog.CancelAfter(deadTimeout);
                }

                var timeout = await HandleFrameAsync(connection, connectTopics, buffer.WrittenMemory, token).ConfigureAwait(false);
                if (timeout is { } announced)
                {
                    deadTimeout = announced;
                    if (!connection.Closing)
                    {
                        watchdog.CancelAfter(deadTimeout);
                    }
                }
            }

            var status = socket.CloseStatus;
            Log.ServerClosed(_logger, (int)(status ?? 0), socket.CloseStatusDescription);
            await connection.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CloseTimeout).ConfigureAwait(false);
            return OnServerClose(connection, status);
        }
        catch (OperationCanceledException) when (watchdog.IsCancellationRequested && !connection.Closing)
        {
            Log.DeadServer(_logger, _endpoints.Display, deadTimeout);
            Volatile.Write(ref _lastError, new TimeoutException($"No frame from the server for {deadTimeout}."));
            socket.Abort();
            return new ConnectionOutcome(connection.Welcomed, Terminal: null);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or JsonException)
        {
            token.ThrowIfCancellationRequested();
            Volatile.Write(ref _lastError, ex);
            Log.ConnectionLost(_logger, _endpoints.Display, Describe(ex));
            socket.Abort();
            return new ConnectionOutcome(connection.Welcomed, Terminal: null);
        }
        finally
        {
            lock (_sync)
            {
                if (_current == connection)
                {
                    _current = null;
                    _connectionId = null;
                }
            }

            FailPending();
        }
    }

    private ConnectionOutcome OnServerClose(ServerConnection connection, WebSocketCloseStatus? status)
    {
        if (status == InvalidResumeTokenClose && !connection.Welcomed)
        {
            string? session;
            lock (_sync)
            {
                session = _sessionId ?? _options.SessionId;
                _resumeToken = null;
                if (_options.SessionId is null)
                {
                    _sessionId = null;
                }
            }

            Log.ResumeTokenRefused(_logger, session ?? "-");
        }
        else if (status == SessionTakenOverClose)
        {
            Log.SessionTakenOver(_logger, SessionId);
            return new ConnectionOutcome(connection.Welcomed, Terminal: "the session was taken over by another connection");
        }

        Volatile.Write(ref _lastError, new WebSocketException($"The server closed the connection ({(int)(status ?? 0)})."));
        return new ConnectionOutcome(connection.Welcomed, Terminal: null);
    }

    /// <summary>Reads one whole message into <paramref name="buffer"/>; true when it was the close frame.</summary>
    private static async Task<bool> ReceiveFrameAsync(ClientWebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        buffer.ResetWrittenCount();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return true;
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > MaxFrameSize)
            {
                throw new WebSocketException($"A frame from the server exceeds {MaxFrameSize} bytes.");
            }

            if (result.EndOfMessage)
            {
                return false;
            }
        }
    }

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
                await connection.SendAsync("""{"type":"pong"}"""u8.ToArray(), token).ConfigureAwait(false);
                break;
            case "resumed":
                OnResumed(frame);
                break;
            case "error":
                OnError(frame);
                break;
            default:
                // pong, subscribed, unsubscribed, published, ack, and anything newer: answers by ref, if any.
                CompletePending(frame);
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

        Log.Connected(_logger, _endpoints.Display, connectionId, sessionId, heartbeat);
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
            await connection.SendAsync(TopicsFrame("subscribe", added), token).ConfigureAwait(false);
        }

        if (removed.Count > 0)
        {
            await connection.SendAsync(TopicsFrame("unsubscribe", removed), token).ConfigureAwait(false);
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
            Raise(ResumeIncomplete, new ResumeIncompleteEventArgs(since, lastId), nameof(ResumeIncomplete));
        }

        CompletePending(frame);
    }

    private void OnError(JsonElement frame)
    {
        var code = frame.TryGetProperty("code", out var c) ? c.GetString() ?? "error" : "error";
        var message = frame.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;
        if (frame.TryGetProperty("ref", out var r) && r.ValueKind == JsonValueKind.String && _pending.TryRemove(r.GetString()!, out var pending))
        {
            pending.Answer.TrySetException(new HeraldClientException(message, code, null, null));
            return;
        }

        Log.ServerError(_logger, code, message);
    }

    private void CompletePending(JsonElement frame)
    {
        if (frame.TryGetProperty("ref", out var r) && r.ValueKind == JsonValueKind.String && _pending.TryRemove(r.GetString()!, out var pending))
        {
            pending.Answer.TrySetResult(frame.Clone());
        }
    }

    private long? LastEventIdOrNull()
    {
        var position = Interlocked.Read(ref _position);
        return position == UnknownPosition ? null : position;
    }

    private static byte[] TopicsFrame(string type, List<string> topics) => Write(w =>
    {
        w.WriteString("type", type);
        w.WriteStartArray("topics");
        foreach (var topic in topics)
        {
            w.WriteStringValue(topic);
        }

        w.WriteEndArray();
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string Describe(Exception ex)
    {
        var message = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += " -> " + inner.Message;
        }

        return message;
    }
}
