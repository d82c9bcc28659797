using Herald.Internal.Connections;
using Herald.Internal.Diagnostics;
using Herald.Internal.Protocol;
using Herald.Internal.Sessions;
using Microsoft.Extensions.Logging;

namespace Herald.Internal.Hub;

/// <summary>
/// One timer for every connection: heartbeats, stale clients, stuck sends, slow close handshakes and session
/// expiry. Per-connection timers would cost memory on every idle socket.
/// </summary>
internal sealed class HubTimers(ConnectionRegistry connections, SessionManager sessions, HeraldOptions options, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan MaxTick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Start() => _loop = Task.Run(RunAsync, CancellationToken.None);

    public async Task StopAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        // Heartbeats are spread over the interval, a slice of the connections per tick: pinging every
        // socket at once would wake every writer together, and each in-flight write holds a 4 KiB
        // transport buffer, so the buffer pool would grow to one block per connection.
        var slices = Math.Max(1, (int)Math.Ceiling(options.HeartbeatInterval / MaxTick));
        var tick = options.HeartbeatInterval / slices;
        using var timer = new PeriodicTimer(tick, time);
        var slice = 0;
        var nextSweep = time.GetUtcNow() + SweepInterval;
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                var now = time.GetUtcNow();
                var ping = ServerFrames.Ping(now);
                slice = (slice + 1) % slices;
                foreach (var connection in connections.All)
                {
                    if (connection.HeartbeatSlice(slices) == slice)
                    {
                        connection.TrySend(ping);
                    }

                    connection.CheckTimers(now.UtcTicks);
                }

                if (now >= nextSweep)
                {
                    nextSweep = now + SweepInterval;
                    await SweepSessionsAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task SweepSessionsAsync()
    {
        try
        {
            await sessions.SweepAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !_stopping.IsCancellationRequested)
        {
            // Whatever a store throws (a backend's own timeout included, which can be an OperationCanceledException)
            // must not end this loop: it also sends every connection's heartbeats.
            Log.SweepFailed(logger, ex);
        }
    }
}
