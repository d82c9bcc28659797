using Herald.Internal.Protocol;

namespace Herald.Internal;

internal sealed partial class HubCore
{
    private static readonly TimeSpan MaxTick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// One timer for every connection: heartbeats, stale clients, stuck sends, slow close handshakes and
    /// session expiry. Per-connection timers would cost memory on every idle socket.
    /// </summary>
    private async Task RunTimersAsync()
    {
        var tick = Options.HeartbeatInterval < MaxTick ? Options.HeartbeatInterval : MaxTick;
        using var timer = new PeriodicTimer(tick, Time);
        var nextPing = Time.GetUtcNow() + Options.HeartbeatInterval;
        var nextSweep = Time.GetUtcNow() + SweepInterval;
        try
        {
            while (await timer.WaitForNextTickAsync(_timersStopping.Token).ConfigureAwait(false))
            {
                var now = Time.GetUtcNow();
                byte[]? ping = null;
                if (now >= nextPing)
                {
                    ping = ServerFrames.Ping(now);
                    nextPing = now + Options.HeartbeatInterval;
                }

                foreach (var connection in _connections.Values)
                {
                    if (ping is not null)
                    {
                        connection.TrySend(ping);
                    }

                    connection.CheckTimers(now.UtcTicks, Options);
                }

                if (now >= nextSweep)
                {
                    nextSweep = now + SweepInterval;
                    await SweepSessionsAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_timersStopping.IsCancellationRequested)
        {
        }
    }

    private async Task SweepSessionsAsync()
    {
        try
        {
            await Sessions.SweepAsync(_timersStopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            Log.SweepFailed(Logger, ex);
        }
    }
}
