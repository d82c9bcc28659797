using System.Net.WebSockets;

namespace Herald.Client.Internal;

/// <summary>One open socket: sends are serialized by a semaphore because a WebSocket allows one send at a time.</summary>
internal sealed class ServerConnection(ClientWebSocket socket) : IDisposable
{
    private readonly SemaphoreSlim _send = new(1, 1);
    private volatile bool _welcomed;
    private volatile bool _closing;

    public ClientWebSocket Socket { get; } = socket;

    /// <summary>The server's welcome arrived.</summary>
    public bool Welcomed
    {
        get => _welcomed;
        set => _welcomed = value;
    }

    /// <summary>The client is closing this socket on purpose.</summary>
    public bool Closing
    {
        get => _closing;
        set => _closing = value;
    }

    public async Task SendAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Socket.SendAsync(utf8, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Starts or answers the closing handshake, bounded by <paramref name="timeout"/>; never throws.</summary>
    public async Task CloseOutputAsync(WebSocketCloseStatus status, string description, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _send.WaitAsync(cts.Token).ConfigureAwait(false);
            try
            {
                if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(status, description, cts.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _send.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            Socket.Abort();
        }
    }

    // The semaphore has no wait handle to free, and a late close may still release it.
    public void Dispose() => Socket.Dispose();
}
