using System.Net.WebSockets;
using Herald.Internal.Diagnostics;
using Herald.Internal.Dispatch;
using Herald.Internal.Protocol;

namespace Herald.Internal.Connections;

internal sealed partial class HeraldConnection
{
    private long _lastEventId;
    private long _framesSent;
    private long _sendStartedTicks;
    private long _closeRequestedTicks;
    private int _closeRequested;
    private CloseReason _closeReason = CloseReason.Normal;

    /// <summary>Frames this connection's writer has sent.</summary>
    public long FramesSent => Volatile.Read(ref _framesSent);

    /// <summary>Whether a close has been requested (by either side).</summary>
    public bool IsClosing => Volatile.Read(ref _closeRequested) != 0;

    /// <summary>Why the connection ended (or is ending); <see cref="CloseReason.Normal"/> until a close is requested.</summary>
    public CloseReason CloseReason => _closeReason;

    /// <summary>
    /// Called by the dispatcher, in id order, for every event that matches one of this connection's
    /// patterns. A connection matched by several patterns gets the event once.
    /// </summary>
    /// <returns>True when the event was queued for sending (not when a replay buffered it, it was sent already, or the queue was full).</returns>
    public bool OfferEvent(EventFrame e)
    {
        lock (_sync)
        {
            if (_replay is { } replay)
            {
                replay.Buffer(e);
                return false;
            }

            if (e.Id <= _lastEventId)
            {
                return false;
            }

            _lastEventId = e.Id;
        }

        if (_queue.TryWrite(e))
        {
            return true;
        }

        _services.Metrics.FramesDropped.Increment();
        if (!IsClosing)
        {
            CloseSlowConsumer();
        }

        return false;
    }

    /// <summary>Queues a control frame: anything but an event (welcome, ping, pong, message, answers).</summary>
    /// <returns>False when the queue is full or the connection is closing.</returns>
    public bool TrySend(byte[] frame) => _queue.TryWrite(frame);

    /// <summary>Queues a direct message; a full queue closes the connection as a slow consumer.</summary>
    public bool SendMessage(byte[] frame)
    {
        if (_queue.TryWrite(frame))
        {
            return true;
        }

        _services.Metrics.FramesDropped.Increment();
        if (!IsClosing)
        {
            CloseSlowConsumer();
        }

        return false;
    }

    /// <summary>
    /// Asks the writer to send a close frame after the frame it is sending and stop; queued frames
    /// are discarded. The first request wins.
    /// </summary>
    public void RequestClose(CloseReason reason)
    {
        if (Interlocked.CompareExchange(ref _closeRequested, 1, 0) != 0)
        {
            return;
        }

        _closeReason = reason;
        Volatile.Write(ref _closeRequestedTicks, _services.Time.GetUtcNow().UtcTicks);
        _queue.Complete();
        Volatile.Read(ref _closing)?.TrySetResult();
    }

    /// <summary>Drops the socket at once, failing any pending send or receive.</summary>
    public void Abort()
    {
        RequestClose(CloseReason.Normal);
        _transport.Abort();
    }

    /// <summary>
    /// Called by the hub's timer: aborts a connection whose send is stuck or whose close handshake takes
    /// too long, and closes one that has been silent past the client timeout.
    /// </summary>
    public void CheckTimers(long nowTicks)
    {
        var options = _services.Options;
        var sendStarted = Volatile.Read(ref _sendStartedTicks);
        if (sendStarted != 0 && nowTicks - sendStarted > options.SendTimeout.Ticks)
        {
            using (BeginLogScope())
            {
                Log.SendTimedOut(_services.Logger, Id, options.SendTimeout);
            }

            _transport.Abort();
            return;
        }

        var closeRequested = Volatile.Read(ref _closeRequestedTicks);
        if (closeRequested != 0)
        {
            if (nowTicks - closeRequested > options.CloseTimeout.Ticks)
            {
                _transport.Abort();
            }

            return;
        }

        if (User.ExpiresAt is { } expires)
        {
            if (nowTicks >= expires.UtcTicks)
            {
                RequestClose(CloseReason.TokenExpired);
                return;
            }

            if (nowTicks >= expires.UtcTicks - options.Auth.RefreshLead.Ticks && Interlocked.Exchange(ref _refreshSent, 1) == 0)
            {
                TrySend(ServerFrames.Refresh(expires));
            }
        }

        if (_transport.ExpectsClientFrames && nowTicks - Volatile.Read(ref _lastSeenTicks) > options.ClientTimeout.Ticks)
        {
            using (BeginLogScope())
            {
                Log.StaleConnection(_services.Logger, Id, options.ClientTimeout);
            }

            _services.Metrics.StaleCloses.Increment();
            RequestClose(CloseReason.HeartbeatTimeout);
        }
    }

    private void CloseSlowConsumer()
    {
        using (BeginLogScope())
        {
            Log.SlowConsumer(_services.Logger, Id, _services.Options.SendQueueCapacity);
        }

        _services.Metrics.SlowConsumerCloses.Increment();
        RequestClose(CloseReason.SlowConsumer);
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (await _queue.WaitToReadAsync().ConfigureAwait(false))
            {
                while (!IsClosing && _queue.TryRead(out var item, out var more))
                {
                    Volatile.Write(ref _sendStartedTicks, _services.Time.GetUtcNow().UtcTicks);
                    await _transport.SendAsync(item, more).ConfigureAwait(false);
                    Volatile.Write(ref _sendStartedTicks, 0);
                    _framesSent++;
                }

                if (IsClosing)
                {
                    break;
                }
            }

            Volatile.Write(ref _sendStartedTicks, _services.Time.GetUtcNow().UtcTicks);
            await _transport.CloseAsync(_closeReason).ConfigureAwait(false);
            Volatile.Write(ref _sendStartedTicks, 0);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer is gone: the receive loop sees the same and the connection is removed.
            using (BeginLogScope())
            {
                Log.SendFailed(_services.Logger, Id, ex.Message);
            }

            RequestClose(CloseReason.Normal);
            _transport.Abort();
        }
    }
}
