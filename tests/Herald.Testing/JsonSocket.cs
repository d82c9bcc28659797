using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Herald.Testing;

/// <summary>
/// A test client for Herald's JSON protocol over a real <see cref="ClientWebSocket"/>. A background loop
/// reads every frame into a queue, so tests can await the next frame (or the close) with a timeout.
/// </summary>
public sealed class JsonSocket : IAsyncDisposable
{
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reader;

    private JsonSocket(ClientWebSocket socket, bool read)
    {
        Socket = socket;
        _reader = read ? Task.Run(ReadLoopAsync) : Task.CompletedTask;
    }

    /// <summary>The underlying socket.</summary>
    public ClientWebSocket Socket { get; }

    /// <summary>The close status the server sent, once the socket closed (null if it dropped without one).</summary>
    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    /// <summary>The close reason the server sent.</summary>
    public string? CloseReason => Socket.CloseStatusDescription;

    /// <summary>Connects to <paramref name="uri"/>; with <paramref name="read"/> false nothing is read (a stalled client).</summary>
    public static async Task<JsonSocket> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null, bool read = true)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(uri, CancellationToken.None).WithTimeout();
        return new JsonSocket(socket, read);
    }

    /// <summary>Connects and returns the socket with its <c>welcome</c> frame.</summary>
    public static async Task<(JsonSocket Socket, JsonElement Welcome)> ConnectWelcomedAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = await ConnectAsync(uri, configure);
        var welcome = await socket.ReceiveAsync();
        if (welcome.GetProperty("type").GetString() != "welcome")
        {
            throw new InvalidOperationException($"Expected a welcome frame, got {welcome}.");
        }

        return (socket, welcome);
    }

    /// <summary>The next frame.</summary>
    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeouts.Default);
        try
        {
            return await _frames.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No frame arrived in time.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The socket closed ({Socket.CloseStatus} {Socket.CloseStatusDescription}) before the expected frame.");
        }
    }

    /// <summary>The next frame whose <c>type</c> is <paramref name="type"/>, skipping others (such as pings).</summary>
    public async Task<JsonElement> ReceiveAsync(string type, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeouts.Default);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var frame = await ReceiveAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            if (frame.GetProperty("type").GetString() == type)
            {
                return frame;
            }
        }
    }

    /// <summary>Whether a frame is waiting now.</summary>
    public bool TryReceive(out JsonElement frame) => _frames.Reader.TryRead(out frame);

    /// <summary>Sends a JSON text frame.</summary>
    public Task SendAsync(object frame) => SendTextAsync(JsonSerializer.Serialize(frame, JsonSerializerOptions.Web));

    /// <summary>Sends raw text as one frame.</summary>
    public Task SendTextAsync(string text) => Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WithTimeout();

    /// <summary>Waits for the server to close the socket and returns its close status.</summary>
    public Task<WebSocketCloseStatus?> WaitForCloseAsync(TimeSpan? timeout = null) => _closed.Task.WithTimeout(timeout);

    /// <summary>Starts reading (for a socket connected with <c>read: false</c>).</summary>
    public JsonSocket StartReading() => new(Socket, read: true);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Socket.Abort();
        await _reader.WaitAsync(Timeouts.Default).ConfigureAwait(false);
        Socket.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult(result.CloseStatus);
                    if (Socket.State == WebSocketState.CloseReceived)
                    {
                        await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    using var document = JsonDocument.Parse(message.ToArray());
                    if (document.RootElement.TryGetProperty("resumeToken", out var token))
                    {
                        // Every resume token a test receives is a secret no server may log.
                        SecretScanner.Register(token.GetString());
                    }

                    _frames.Writer.TryWrite(document.RootElement.Clone());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult(Socket.CloseStatus);
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }
}
