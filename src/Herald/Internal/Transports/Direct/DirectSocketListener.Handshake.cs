using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Herald.Internal.Diagnostics;

namespace Herald.Internal.Transports.Direct;

internal sealed partial class DirectSocketListener
{
    private async Task HandleAsync(Socket socket, HttpConnectionLimit.Lease lease)
    {
        try
        {
            // Two steps, so the handshake's state is let go once the connection runs.
            Task run;
            try
            {
                run = await StartAsync(socket).ConfigureAwait(false);
            }
            finally
            {
                // Taken, refused or handed on: Kestrel's connection middleware counts it from here.
                lease.ReleaseConnection();
            }

            await run.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            // The peer went away during the handshake.
            socket.Dispose();
        }
        catch (Exception ex)
        {
            Log.DirectConnectionFailed(_logger, ex);
            socket.Dispose();
        }
    }

    /// <summary>
    /// Peeks at the first bytes: a complete, plain handshake for Herald's path is answered here and its
    /// connection started on the socket; anything else goes to Kestrel with nothing consumed. A connection that stays
    /// silent for Kestrel's <c>KeepAliveTimeout</c> is closed, as Kestrel closes one.
    /// </summary>
    private async Task<Task> StartAsync(Socket socket)
    {
        using (var timeout = new CancellationTokenSource(_limits.KeepAliveTimeout, _endpoint.Time))
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _unbinding.Token))
        {
            try
            {
                // A zero-byte receive waits for data without holding a buffer.
                await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                return Task.CompletedTask;
            }
        }

        var buffer = ArrayPool<byte>.Shared.Rent(UpgradeRequest.MaxHeadBytes + 1);
        try
        {
            var count = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.Peek).ConfigureAwait(false);
            var received = new ReadOnlySequence<byte>(buffer, 0, count);
            if (UpgradeRequest.TryParse(received, _requestLinePrefix, _limits, out var request, out var headEnd) != UpgradeParse.Ours)
            {
                // Not ours, or a head still arriving: the HTTP layer (and the middleware) read it from the start.
                return HandOffAsync(socket);
            }

            // Take only the head off the socket: a first frame sent right behind it stays for the WebSocket.
            await ReceiveExactlyAsync(socket, buffer.AsMemory(0, (int)received.Slice(0, headEnd).Length)).ConfigureAwait(false);
            var remote = (socket.RemoteEndPoint as IPEndPoint)?.Address;
            var handshake = await DirectHandshake.DecideAsync(_endpoint, request!, remote).ConfigureAwait(false);
            if (!handshake.Accepted)
            {
                await socket.SendAsync(handshake.ResponseBytes.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Both);
                socket.Dispose();
                return Task.CompletedTask;
            }

            // The 101 goes out through the connection's own stream, ahead of its first frame.
            var stream = new CoalescingNetworkStream(socket, NextSendQueue());
            await stream.WriteAsync(handshake.ResponseBytes).ConfigureAwait(false);
            return handshake.RunAsync(_endpoint, stream, request!, remote);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task HandOffAsync(Socket socket)
    {
        var connection = _contexts.Create(socket);
        try
        {
            await _forKestrel.Writer.WriteAsync(connection).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("The connection closed during the handshake.");
            }

            buffer = buffer[read..];
        }
    }

    private SocketSendQueue NextSendQueue() => _sendQueues[(uint)Interlocked.Increment(ref _nextSendQueue) % _sendQueues.Length];
}
