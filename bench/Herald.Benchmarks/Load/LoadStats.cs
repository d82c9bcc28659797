using System.Collections.Concurrent;
using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Load;

/// <summary>Counters of one load worker: written by its event loop, read by its control thread.</summary>
internal sealed class LoadStats
{
    private readonly ConcurrentDictionary<string, bool> _errors = new();
    private LatencyHistogram _latency = new();
    private long _received;
    private long _bytes;
    private int _connected;
    private int _failed;
    private int _dropped;
    private long _duplicates;
    private long _outOfOrder;
    private long _reconnects;
    private long _lastReconnectAt;
    private long _losses;
    private long _firstLossAt;

    public int Connected => Volatile.Read(ref _connected);

    public int Failed => Volatile.Read(ref _failed);

    public int Dropped => Volatile.Read(ref _dropped);

    public long Received => Interlocked.Read(ref _received);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Stopwatch timestamp of the latest reconnect that went live (0: none).</summary>
    public long LastReconnectAt => Interlocked.Read(ref _lastReconnectAt);

    /// <summary>Connections lost without the worker asking, that it then resumed elsewhere (failover).</summary>
    public long Losses => Interlocked.Read(ref _losses);

    public long FirstLossAt => Interlocked.Read(ref _firstLossAt);

    public void OnEvent(long latencyMicros)
    {
        Interlocked.Increment(ref _received);
        Volatile.Read(ref _latency).Record(latencyMicros);
    }

    public void OnBytes(int count) => Interlocked.Add(ref _bytes, count);

    public void OnConnected() => Interlocked.Increment(ref _connected);

    public void OnReconnected(long now)
    {
        Interlocked.Increment(ref _reconnects);
        Interlocked.Exchange(ref _lastReconnectAt, now);
    }

    public void OnLost(long now)
    {
        Interlocked.Increment(ref _losses);
        Interlocked.CompareExchange(ref _firstLossAt, now, 0);
    }

    public void OnFailed(string error)
    {
        Interlocked.Increment(ref _failed);
        AddError(error);
    }

    public void OnDropped(string reason)
    {
        Interlocked.Increment(ref _dropped);
        AddError(reason);
    }

    public void OnDuplicate() => Interlocked.Increment(ref _duplicates);

    public void OnOutOfOrder() => Interlocked.Increment(ref _outOfOrder);

    /// <summary>Takes the events, bytes and latencies since the previous call (the counters restart).</summary>
    public (long Received, long Bytes, LatencyHistogram Latency) Take()
        => (Interlocked.Exchange(ref _received, 0), Interlocked.Exchange(ref _bytes, 0), Interlocked.Exchange(ref _latency, new LatencyHistogram()));

    public List<string> Errors() => [.. _errors.Keys.Take(5)];

    private void AddError(string error)
    {
        if (_errors.Count < 20)
        {
            _errors.TryAdd(error, true);
        }
    }
}
