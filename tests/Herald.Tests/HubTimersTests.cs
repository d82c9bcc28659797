using Herald.Internal.Connections;
using Herald.Internal.Diagnostics;
using Herald.Internal.Hub;
using Herald.Internal.Sessions;
using Herald.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Tests;

public sealed class HubTimersTests
{
    [Fact]
    public async Task ASessionSweepThatTimesOutInsideTheStoreIsLoggedAndTheTimersKeepRunningAndStopCleanly()
    {
        // A NATS request that gets no answer ends with an OperationCanceledException nobody asked for; it once ended
        // the timer loop (heartbeats included) and then failed the hub's disposal.
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var options = new HeraldOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(20) };
        await using var store = new TimingOutSweeps();
        var metrics = new HeraldMetrics();
        var sessions = new SessionManager(store, options, time, metrics, NullLogger.Instance);
        var timers = new HubTimers(new ConnectionRegistry(options, metrics, time, NullLogger.Instance), sessions, options, time, NullLogger.Instance);
        timers.Start();

        // Sweeps are due every 10 s of the clock; moving it on at every look makes one due on the timers' next tick.
        await Timeouts.Until(() => SweepsAfterAdvancing() >= 1, "the first sweep runs and fails");
        await Timeouts.Until(() => SweepsAfterAdvancing() >= 2, "the timers run on and sweep again");

        await timers.StopAsync().WithTimeout();

        int SweepsAfterAdvancing()
        {
            time.Advance(TimeSpan.FromSeconds(11));
            return store.Sweeps;
        }
    }

    /// <summary>An in-memory store whose expiry sweep fails the way a NATS request without an answer does.</summary>
    private sealed class TimingOutSweeps : ISessionStore
    {
        private readonly InMemorySessionStore _inner = new();
        private int _sweeps;

        public int Sweeps => Volatile.Read(ref _sweeps);

        public ValueTask<int> RemoveExpiredAsync(DateTimeOffset awayBefore, DateTimeOffset messagesBefore, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sweeps);
            throw new TaskCanceledException("no answer within the request timeout");
        }

        public ValueTask InitializeAsync(CancellationToken cancellationToken) => _inner.InitializeAsync(cancellationToken);

        public ValueTask<SessionRecord?> GetAsync(string sessionId, CancellationToken cancellationToken) => _inner.GetAsync(sessionId, cancellationToken);

        public ValueTask<SessionRecord?> TryWriteAsync(SessionRecord record, long expectedRevision, CancellationToken cancellationToken)
            => _inner.TryWriteAsync(record, expectedRevision, cancellationToken);

        public ValueTask<bool> TryDeleteAsync(string sessionId, long? expectedRevision, CancellationToken cancellationToken)
            => _inner.TryDeleteAsync(sessionId, expectedRevision, cancellationToken);

        public ValueTask<SessionEnqueueResult> EnqueueAsync(string sessionId, DateTimeOffset time, ReadOnlyMemory<byte> data, int maxQueued, CancellationToken cancellationToken)
            => _inner.EnqueueAsync(sessionId, time, data, maxQueued, cancellationToken);

        public ValueTask<IReadOnlyList<QueuedMessage>> ReadQueueAsync(string sessionId, long afterSequence, int limit, CancellationToken cancellationToken)
            => _inner.ReadQueueAsync(sessionId, afterSequence, limit, cancellationToken);

        public ValueTask RemoveQueuedAsync(string sessionId, long throughSequence, CancellationToken cancellationToken)
            => _inner.RemoveQueuedAsync(sessionId, throughSequence, cancellationToken);

        public ValueTask<int> ReleaseNodeAsync(string nodeId, DateTimeOffset awaySince, CancellationToken cancellationToken)
            => _inner.ReleaseNodeAsync(nodeId, awaySince, cancellationToken);

        public IAsyncEnumerable<SessionChange> WatchAsync(CancellationToken cancellationToken) => _inner.WatchAsync(cancellationToken);

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
