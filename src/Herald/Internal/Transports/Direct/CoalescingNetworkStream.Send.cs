using System.Net.Sockets;

namespace Herald.Internal.Transports.Direct;

internal sealed partial class CoalescingNetworkStream
{
    /// <summary>Called by the send queue: sends everything pending without blocking.</summary>
    internal void SendPending()
    {
        byte[]? buffer;
        int count;
        TaskCompletionSource? room;
        lock (_sync)
        {
            buffer = _pending;
            count = _pendingCount;
            _pending = null;
            _pendingCount = 0;
            room = _room;
            _room = null;
        }

        room?.TrySetResult();
        if (buffer is null)
        {
            Finish(failed: false);
            return;
        }

        var offset = 0;
        var error = SocketError.Success;
        try
        {
            while (offset < count)
            {
                var sent = Socket.Send(buffer.AsSpan(offset, count - offset), SocketFlags.None, out error);
                if (error != SocketError.Success)
                {
                    break;
                }

                offset += sent;
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            error = SocketError.OperationAborted;
        }

        if (error == SocketError.WouldBlock)
        {
            bool wait;
            lock (_sync)
            {
                // Disposal no longer waits for this send once it waits for the peer; a disposed stream does not start to.
                _waitingForPeer = wait = !_disposed;
            }

            if (wait)
            {
                _ = SendWhenPeerReadsAsync(buffer, offset, count);
                return;
            }
        }

        Buffers.Return(buffer);
        Finish(failed: error != SocketError.Success);
    }

    /// <summary>The peer's window is full: waits for it off the send queue, then lets the next send be queued.</summary>
    private async Task SendWhenPeerReadsAsync(byte[] buffer, int offset, int count)
    {
        var failed = false;
        try
        {
            while (offset < count)
            {
                offset += await Socket.SendAsync(buffer.AsMemory(offset, count - offset), SocketFlags.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            failed = true;
        }

        lock (_sync)
        {
            _waitingForPeer = false;
        }

        Buffers.Return(buffer);
        Finish(failed);
    }

    /// <summary>After a send: queues the next if bytes arrived meanwhile, else closes the socket if disposal waited for it.</summary>
    private void Finish(bool failed)
    {
        bool reschedule;
        bool close;
        TaskCompletionSource? room;
        lock (_sync)
        {
            _failed |= failed;
            reschedule = !_failed && _pendingCount > 0;
            _scheduled = reschedule;
            close = !reschedule && _disposed;
            room = _failed ? _room : null;
            if (_failed)
            {
                _room = null;
                _pending = null;
                _pendingCount = 0;
            }
        }

        room?.TrySetException(new IOException("The connection is closed."));
        if (reschedule)
        {
            _sendQueue.Schedule(this);
        }
        else if (close)
        {
            base.Dispose(true);
        }
    }
}
