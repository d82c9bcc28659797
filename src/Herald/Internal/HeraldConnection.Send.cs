using System.Net.WebSockets;
using Herald.Internal.Protocol;

namespace Herald.Internal;

internal sealed partial class HeraldConnection
{
    private long _lastEventId;
    private long _framesSent;
    private long _sendStartedTicks;
    private long _closeRequestedTicks;
    private int _closeRequested;
    private WebSocketCloseStatus _closeStatus;
    private string _closeReason = string.Empty;

    /// <summary>Frames this connection's writer has sent.</summary>
    public long FramesSent => Volatile.Read(ref _framesSent);

    /// <summary>The close code of the first close request: 1000 when the client left or closed.</summary>
    public WebSocketCloseStatus CloseStatus => _closeStatus;

    /// <summary>Whether a close has been requested (by either side).</summary>
    public bool IsClosing => Volatile.Read(ref _closeRequested) != 0;

    /// <summary>
    /// Called by the dispatcher, in id order, for every event that matches one of this connection's
    /// patterns. A connection matched by several patterns gets the event once.
    /// </summary>
    public void OfferEvent(HeraldEvent e)
    {
        lock (_sync)
        {
            if (_replay is { } replay)
            {
                replay.Buffer(e);
                return;
            }

            if (e.Id <= _lastEventId)
            {
                return;
            }

            _lastEventId = e.Id;
        }

        if (_queue.TryWrite(e))
        {
            _hub.Metrics.Deliveries.Increment();
        }
        else
        {
            _hub.Metrics.FramesDropped.Increment();
            if (!IsClosing)
            {
                CloseSlowConsumer();
            }
        }
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

        _hub.Metrics.FramesDropped.Increment();
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
    public void RequestClose(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.CompareExchange(ref _closeRequested, 1, 0) != 0)
        {
            return;
        }

        _closeStatus = status;
        _closeReason = reason;
        Volatile.Write(ref _closeRequestedTicks, _hub.Time.GetUtcNow().UtcTicks);
        _queue.Complete();
        _closing.TrySetResult();
    }

    /// <summary>Drops the socket at once, failing any pending send or receive.</summary>
    public void Abort()
    {
        RequestClose(WebSocketCloseStatus.NormalClosure, string.Empty);
        _transport.Abort();
    }

    /// <summary>
    /// Called by the hub's timer: aborts a connection whose send is stuck or whose close handshake takes
    /// too long, and closes one that has been silent past the client timeout.
    /// </summary>
    public void CheckTimers(long nowTicks, HeraldOptions options)
    {
        var sendStarted = Volatile.Read(ref _sendStartedTicks);
        if (sendStarted != 0 && nowTicks - sendStarted > options.SendTimeout.Ticks)
        {
            using (BeginLogScope())
            {
                Log.SendTimedOut(_logger, Id, options.SendTimeout);
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

        if (_transport.ExpectsClientFrames && nowTicks - Volatile.Read(ref _lastSeenTicks) > options.ClientTimeout.Ticks)
        {
            using (BeginLogScope())
            {
                Log.StaleConnection(_logger, Id, options.ClientTimeout);
            }

            _hub.Metrics.StaleCloses.Increment();
            RequestClose(CloseCodes.HeartbeatTimeout, "heartbeat timeout");
        }
    }

    private void CloseSlowConsumer()
    {
        using (BeginLogScope())
        {
            Log.SlowConsumer(_logger, Id, _hub.Options.SendQueueCapacity);
        }

        _hub.Metrics.SlowConsumerCloses.Increment();
        RequestClose(CloseCodes.SlowConsumer, "slow consumer");
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (await _queue.WaitToReadAsync().ConfigureAwait(false))
            {
                while (!IsClosing && _queue.TryRead(out var item, out var more))
                {
                    Volatile.Write(ref _sendStartedTicks, _hub.Time.GetUtcNow().UtcTicks);
                    await _transport.SendAsync(item, more).ConfigureAwait(false);
                    Volatile.Write(ref _sendStartedTicks, 0);
                    _framesSent++;
                }

                if (IsClosing)
                {
                    break;
                }
            }

            Volatile.Write(ref _sendStartedTicks, _hub.Time.GetUtcNow().UtcTicks);
            await _transport.CloseAsync(_closeStatus, _closeReason).ConfigureAwait(false);
            Volatile.Write(ref _sendStartedTicks, 0);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer is gone: the receive loop sees the same and the connection is removed.
            using (BeginLogScope())
            {
                Log.SendFailed(_logger, Id, ex.Message);
            }

            RequestClose(WebSocketCloseStatus.NormalClosure, string.Empty);
            _transport.Abort();
        }
    }
}
