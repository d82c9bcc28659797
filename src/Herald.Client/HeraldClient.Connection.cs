using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Herald.Client.Internal;

namespace Herald.Client;

public sealed partial class HeraldClient
{
    private const int MaxFrameSize = 16 * 1024 * 1024;
    private const WebSocketCloseStatus InvalidResumeTokenClose = WebSocketCloseStatus.PolicyViolation;
    private const WebSocketCloseStatus SessionTakenOverClose = (WebSocketCloseStatus)4002;

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

            _pending.FailAll();

            // Closed before the waiters hear of it, so whoever catches the exception sees the final state.
            SetState(HeraldConnectionState.Closed);
            connected.TrySetException(new HeraldClientException($"The Herald client closed: {closeReason}.", LastError));
            completed.TrySetResult();
        }
    }

    /// <summary>The server of the latest connection attempt.</summary>
    private ServerEndpoints Endpoints => _servers[Volatile.Read(ref _server)];

    /// <summary>The next attempt goes to the next server, when there are several: this one failed or went away.</summary>
    private void MoveToNextServer()
    {
        if (_servers.Length > 1)
        {
            Volatile.Write(ref _server, (Volatile.Read(ref _server) + 1) % _servers.Length);
        }
    }

    private async Task<ConnectionOutcome> RunConnectionAsync(CancellationToken token)
    {
        var outcome = await ConnectOnceAsync(token).ConfigureAwait(false);
        if (outcome.Terminal is null)
        {
            MoveToNextServer();
        }

        return outcome;
    }

    private async Task<ConnectionOutcome> ConnectOnceAsync(CancellationToken token)
    {
        if (Interlocked.Read(ref _position) == UnknownPosition)
        {
            await ResolveStartPositionAsync(token).ConfigureAwait(false);
        }

        Uri uri;
        lock (_sync)
        {
            var position = Interlocked.Read(ref _position);
            uri = Endpoints.Connect(_topics, position == UnknownPosition ? null : position, _sessionId ?? _options.SessionId, _resumeToken);
        }

        List<string> connectTopics;
        lock (_sync)
        {
            connectTopics = [.. _topics];
        }

        Log.Connecting(_logger, Endpoints.Display, _policy.Attempts + 1, LastEventIdOrNull());
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        foreach (var (name, value) in _options.RequestHeaders)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        if (await AccessTokenAsync(token).ConfigureAwait(false) is { } accessToken)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + accessToken);
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
            var error = ex is OperationCanceledException && watchdog.IsCancellationRequested
                ? new TimeoutException($"The server did not complete the WebSocket handshake within {deadTimeout}.", ex)
                : ex;
            Volatile.Write(ref _lastError, error);
            Log.ConnectFailed(_logger, Endpoints.Display, Describe(error));
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
            Log.DeadServer(_logger, Endpoints.Display, deadTimeout);
            Volatile.Write(ref _lastError, new TimeoutException($"No frame from the server for {deadTimeout}."));
            socket.Abort();
            return new ConnectionOutcome(connection.Welcomed, Terminal: null);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or JsonException)
        {
            token.ThrowIfCancellationRequested();
            Volatile.Write(ref _lastError, ex);
            Log.ConnectionLost(_logger, Endpoints.Display, Describe(ex));
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

            _pending.FailAll();
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

    private long? LastEventIdOrNull()
    {
        var position = Interlocked.Read(ref _position);
        return position == UnknownPosition ? null : position;
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
