using System.Collections.Concurrent;
using Herald.Benchmarks.Shared;

namespace Herald.Benchmarks.Load;

/// <summary>Counters shared by all clients of one load worker.</summary>
public sealed class LoadStats
{
    private readonly ConcurrentDictionary<string, bool> _errors = new();
    private long _received;
    private int _connected;
    private int _failed;
    private int _dropped;
    private long _duplicates;
    private long _outOfOrder;
    private long _reconnects;

    public LatencyHistogram Latency { get; } = new();

    public long Received => Interlocked.Read(ref _received);

    public int Connected => Volatile.Read(ref _connected);

    public int Failed => Volatile.Read(ref _failed);

    public int Dropped => Volatile.Read(ref _dropped);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public void OnEvent(long latencyMicros)
    {
        Interlocked.Increment(ref _received);
        Latency.Record(latencyMicros);
    }

    public void OnConnected()
    {
        Interlocked.Increment(ref _connected);
    }

    public void OnReconnected()
    {
        Interlocked.Increment(ref _reconnects);
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

    public void OnDuplicate()
    {
        Interlocked.Increment(ref _duplicates);
    }

    public void OnOutOfOrder()
    {
        Interlocked.Increment(ref _outOfOrder);
    }

    /// <summary>Takes the events received since the previous call (the counter restarts).</summary>
    public long TakeReceived()
    {
        return Interlocked.Exchange(ref _received, 0);
    }

    public List<string> Errors()
    {
        return [.. _errors.Keys.Take(5)];
    }

    private void AddError(string error)
    {
        if (_errors.Count < 20)
        {
            _errors.TryAdd(error, true);
        }
    }
}
