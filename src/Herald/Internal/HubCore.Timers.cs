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
        // Heartbeats are spread over the interval, a slice of the connections per tick: pinging every
        // socket at once would wake every writer together, and each in-flight write holds a 4 KiB
        // transport buffer, so the buffer pool would grow to one block per connection.
        var slices = Math.Max(1, (int)Math.Ceiling(Options.HeartbeatInterval / MaxTick));
        var tick = Options.HeartbeatInterval / slices;
        using var timer = new PeriodicTimer(tick, Time);
        var slice = 0;
        var nextSweep = Time.GetUtcNow() + SweepInterval;
        try
        {
            while (await timer.WaitForNextTickAsync(_timersStopping.Token).ConfigureAwait(false))
            {
                var now = Time.GetUtcNow();
                var ping = ServerFrames.Ping(now);
                slice = (slice + 1) % slices;
                foreach (var connection in _connections.Values)
                {
                    if (connection.HeartbeatSlice(slices) == slice)
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
