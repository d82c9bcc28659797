using System.Threading.Channels;

namespace Herald.Client;

/// <summary>
/// A thread-safe first-in first-out buffer of at most <see cref="Capacity"/> items that never blocks a
/// producer: when it is full, <see cref="Add"/> drops the OLDEST item and counts it in <see cref="Dropped"/>.
/// Consumers take items one by one (<see cref="TryTake"/>, <see cref="WaitToReadAsync"/>) or all at once
/// (<see cref="Drain"/>, for synchronous hosts that poll), from any thread.
/// </summary>
/// <remarks>A bounded <see cref="Channel{T}"/> in <see cref="BoundedChannelFullMode.DropOldest"/> mode underneath.</remarks>
/// <typeparam name="T">The item type.</typeparam>
public sealed class BoundedBuffer<T>
{
    /// <summary>Set by the drop callback, which the channel calls on the writing thread inside <c>TryWrite</c>.</summary>
    [ThreadStatic]
    private static bool _droppedByThisWrite;

    private readonly Channel<T> _channel;
    private long _dropped;
    private volatile bool _completed;

    /// <summary>The default capacity: 10,000 items.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>Creates a buffer.</summary>
    /// <param name="capacity">The most items kept; must be positive. Default <see cref="DefaultCapacity"/> (10,000).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    public BoundedBuffer(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        var options = new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = false,
            SingleWriter = false,
        };
        _channel = Channel.CreateBounded<T>(options, OnDropped);
    }

    /// <summary>The most items kept.</summary>
    public int Capacity { get; }

    /// <summary>How many items are buffered now.</summary>
    public int Count => _channel.Reader.Count;

    /// <summary>How many items were dropped, oldest first, because the buffer was full; never reset.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Whether <see cref="Complete"/> was called.</summary>
    public bool IsCompleted => _completed;

    /// <summary>Adds <paramref name="item"/> at the end, dropping the oldest item if the buffer is full.</summary>
    /// <returns>False if an older item was dropped to make room (or the buffer is completed and the item was ignored).</returns>
    public bool Add(T item)
    {
        _droppedByThisWrite = false;
        if (!_channel.Writer.TryWrite(item))
        {
            return false;
        }

        return !_droppedByThisWrite;
    }

    /// <summary>Takes the oldest item, if any.</summary>
    public bool TryTake(out T item) => _channel.Reader.TryRead(out item!);

    /// <summary>
    /// Removes and returns everything buffered when it is called, oldest first. Items added while it runs are
    /// left for the next call, so a busy producer cannot keep it going.
    /// </summary>
    public IReadOnlyList<T> Drain()
    {
        var reader = _channel.Reader;
        var count = reader.Count;
        if (count == 0)
        {
            return [];
        }

        var taken = new List<T>(count);
        while (taken.Count < count && reader.TryRead(out var item))
        {
            taken.Add(item);
        }

        return taken;
    }

    /// <summary>Waits until an item is buffered or the buffer is completed.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>True when an item is available; false when the buffer is completed and empty.</returns>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Marks the buffer as finished: later items are ignored and waiting readers end once it is empty.</summary>
    public void Complete()
    {
        _completed = true;
        _channel.Writer.TryComplete();
    }

    private void OnDropped(T _)
    {
        _droppedByThisWrite = true;
        Interlocked.Increment(ref _dropped);
    }
}
