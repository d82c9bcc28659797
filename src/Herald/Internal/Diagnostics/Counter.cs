namespace Herald.Internal.Diagnostics;

/// <summary>A thread-safe monotonic counter.</summary>
internal sealed class Counter
{
    private long _value;

    public long Value => Volatile.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Add(long amount) => Interlocked.Add(ref _value, amount);
}
