using System.Collections;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Herald.Benchmarks.Servers;
using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Load;

/// <summary>
/// One subscriber speaking its server's protocol over <see cref="ClientWebSocket"/>: Herald's JSON
/// frames, the raw server's, or SignalR's JSON hub protocol (records ending in 0x1E, negotiation skipped).
/// </summary>
public sealed class BenchClient
{
    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] SignalRHandshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] SignalRPing = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");
    private static readonly byte[] HeraldPong = "{\"type\":\"pong\"}"u8.ToArray();
    private static readonly byte[] WelcomeMarker = "\"welcome\""u8.ToArray();

    private readonly LoadOptions _options;
    private readonly HttpMessageInvoker _invoker;
    private readonly LoadStats _stats;
    private readonly BitArray? _seen;
    private byte[] _buffer = new byte[1024];
    private ClientWebSocket? _socket;
    private volatile bool _ready;
    private volatile bool _dropping;
    private volatile bool _stopping;
    private long _lastSeq = -1;
    private long _lastEventId;

    public BenchClient(LoadOptions options, HttpMessageInvoker invoker, LoadStats stats, bool trackEverySeq)
    {
        _options = options;
        _invoker = invoker;
        _stats = stats;
        _seen = trackEverySeq ? new BitArray(1 << 16) : null;
    }

    public bool IsOpen => _ready && _socket?.State == WebSocketState.Open;

    /// <summary>The highest sequence number received, -1 before the first.</summary>
    public long LastSeq => Interlocked.Read(ref _lastSeq);

    /// <summary>Connects and waits for the server's welcome; false (and counted) when that fails.</summary>
    public async Task<bool> ConnectAsync()
    {
        var url = _options.BaseUrl.Replace("http", "ws", StringComparison.Ordinal) + ServerKinds.SocketPath(_options.Kind);
        if (_options.Kind == ServerKind.Herald && (_dropping || _lastEventId > 0))
        {
            url += "&since=" + _lastEventId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(new Uri(url), _invoker, timeout.Token);
            if (_options.Kind == ServerKind.SignalR)
            {
                await socket.SendAsync(SignalRHandshake, WebSocketMessageType.Text, true, timeout.Token);
            }
            _socket = socket;
            // Frames before the welcome (SignalR's handshake answer) carry no events.
            while (true)
            {
                var frame = await ReceiveFrameAsync(socket, timeout.Token);
                if (frame.IsEmpty && socket.State != WebSocketState.Open)
                {
                    throw new WebSocketException("closed during the handshake: " + socket.CloseStatus);
                }
                if (frame.Span.IndexOf(WelcomeMarker) >= 0)
                {
                    break;
                }
            }
            _ready = true;
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException or IOException)
        {
            socket.Abort();
            socket.Dispose();
            _socket = null;
            _stats.OnFailed(Describe(ex));
            return false;
        }
    }

    /// <summary>Receives until the socket closes; reconnects (with <c>since</c> on Herald) after a deliberate drop.</summary>
    public async Task RunAsync()
    {
        while (_socket is { } socket)
        {
            try
            {
                while (true)
                {
                    var frame = await ReceiveFrameAsync(socket, CancellationToken.None);
                    if (frame.IsEmpty && socket.State != WebSocketState.Open)
                    {
                        break;
                    }
                    Process(frame.Span);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                if (!_dropping && !_stopping)
                {
                    _stats.OnDropped(Describe(ex));
                }
            }
            _ready = false;
            if (!_dropping || _stopping)
            {
                if (!_stopping && socket.CloseStatus is { } status)
                {
                    _stats.OnDropped("closed by server: " + status + " " + socket.CloseStatusDescription);
                }
                socket.Dispose();
                return;
            }
            socket.Dispose();
            _socket = null;
            await ReconnectAsync();
        }
    }

    /// <summary>Sends a sign of life so the server does not close an idle client.</summary>
    public async Task SendHeartbeatAsync()
    {
        if (!_ready || _socket is not { } socket || _options.Kind == ServerKind.Raw)
        {
            return;
        }
        try
        {
            var frame = _options.Kind == ServerKind.SignalR ? SignalRPing : HeraldPong;
            await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or InvalidOperationException or ObjectDisposedException or IOException)
        {
            // The receive loop notices a broken socket; a send racing a reconnect is simply skipped.
        }
    }

    /// <summary>Simulates a network drop: abort the socket; <see cref="RunAsync"/> reconnects.</summary>
    public void Drop()
    {
        if (_socket is { } socket && _ready)
        {
            _dropping = true;
            socket.Abort();
        }
    }

    public void Stop()
    {
        _stopping = true;
        _socket?.Abort();
    }

    /// <summary>Sequence numbers in [0, published) never received (needs every-seq tracking).</summary>
    public long CountLost(long published)
    {
        if (_seen is null)
        {
            return 0;
        }
        long lost = 0;
        for (var seq = 0; seq < published && seq < _seen.Length; seq++)
        {
            if (!_seen[seq])
            {
                lost++;
            }
        }
        return lost;
    }

    private async Task ReconnectAsync()
    {
        while (!_stopping)
        {
            if (await ConnectAsync())
            {
                _stats.OnReconnected();
                _dropping = false;
                return;
            }
            await Task.Delay(100);
        }
    }

    private void Process(ReadOnlySpan<byte> frame)
    {
        if (_options.Kind != ServerKind.SignalR)
        {
            ProcessRecord(frame);
            return;
        }
        while (!frame.IsEmpty)
        {
            var end = frame.IndexOf(RecordSeparator);
            var record = end < 0 ? frame : frame[..end];
            ProcessRecord(record);
            frame = end < 0 ? [] : frame[(end + 1)..];
        }
    }

    private void ProcessRecord(ReadOnlySpan<byte> record)
    {
        if (!Payload.TryRead(record, out var seq, out var timestamp))
        {
            return;
        }
        var now = Stopwatch.GetTimestamp();
        _stats.OnEvent((long)Payload.ElapsedMicros(timestamp, now));
        if (_options.Kind == ServerKind.Herald && Payload.TryReadEventId(record, out var id))
        {
            _lastEventId = id;
        }
        if (_seen is not null && seq >= 0 && seq < _seen.Length)
        {
            if (_seen[(int)seq])
            {
                _stats.OnDuplicate();
                return;
            }
            _seen[(int)seq] = true;
        }
        else if (seq == _lastSeq)
        {
            _stats.OnDuplicate();
            return;
        }
        if (seq < _lastSeq)
        {
            _stats.OnOutOfOrder();
            return;
        }
        Interlocked.Exchange(ref _lastSeq, seq);
    }

    /// <summary>Reads one whole message into the reusable buffer (growing it for rare large ones).</summary>
    private async Task<ReadOnlyMemory<byte>> ReceiveFrameAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(_buffer.AsMemory(filled), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return ReadOnlyMemory<byte>.Empty;
            }
            filled += result.Count;
            if (result.EndOfMessage)
            {
                return _buffer.AsMemory(0, filled);
            }
            if (filled == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }
    }

    private static string Describe(Exception ex)
    {
        var inner = ex.InnerException is null ? "" : " (" + ex.InnerException.Message + ")";
        return ex.GetType().Name + ": " + ex.Message + inner;
    }
}
