using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace Herald.UniFi.Tests.FakeController;

/// <summary>One accepted WebSocket on the fake controller; tests push frames through it.</summary>
internal sealed class FakeConnection
{
    private readonly WebSocket _socket;
    private readonly HttpContext _context;
    private readonly int? _dropAfterFrames;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sent;

    public FakeConnection(WebSocket socket, HttpContext context, bool silent, int? dropAfterFrames, int number)
    {
        _socket = socket;
        _context = context;
        _dropAfterFrames = dropAfterFrames;
        IsSilent = silent;
        Number = number;
        Headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>1 for the first socket the fake accepted, 2 for the next...</summary>
    public int Number { get; }

    public bool IsSilent { get; }

    /// <summary>The handshake's request headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Completes when the socket is gone (closed, dropped or aborted by the client).</summary>
    public Task Ended => _ended.Task;

    public int FramesSent => Volatile.Read(ref _sent);

    /// <summary>Sends one text message, in fragments of <paramref name="fragmentBytes"/> if given.</summary>
    public async Task SendAsync(byte[] frame, int? fragmentBytes = null)
    {
        await _sendLock.WaitAsync().WaitAsync(Herald.Testing.Timeouts.Default);
        try
        {
            var size = fragmentBytes ?? frame.Length;
            for (var offset = 0; offset < frame.Length || offset == 0; offset += size)
            {
                var count = Math.Min(size, frame.Length - offset);
                var last = offset + count >= frame.Length;
                await _socket.SendAsync(frame.AsMemory(offset, count), WebSocketMessageType.Text, last, CancellationToken.None)
                    .AsTask().WaitAsync(Herald.Testing.Timeouts.Default);
                if (last)
                {
                    break;
                }
            }

            if (Interlocked.Increment(ref _sent) == _dropAfterFrames)
            {
                Drop();
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Drops the TCP connection without a close handshake, like a controller restart.</summary>
    public void Drop() => _context.Abort();

    /// <summary>Closes the socket politely.</summary>
    public Task CloseAsync() => _socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "restarting", CancellationToken.None).WaitAsync(Herald.Testing.Timeouts.Default);

    /// <summary>Serves the socket until it ends: reads (so pings are answered) unless silent.</summary>
    public async Task RunAsync()
    {
        try
        {
            if (IsSilent)
            {
                await Task.Delay(Timeout.Infinite, _context.RequestAborted);
            }

            var buffer = new byte[4096];
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, _context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            // The client went away or the test dropped the connection.
        }
        finally
        {
            _ended.TrySetResult();
        }
    }
}
