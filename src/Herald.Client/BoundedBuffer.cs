namespace Herald.Client;

/// <summary>
/// A thread-safe first-in first-out buffer of at most <see cref="Capacity"/> items that never blocks a
/// producer: when it is full, <see cref="Add"/> drops the OLDEST item and counts it in <see cref="Dropped"/>.
/// Consumers take items one by one (<see cref="TryTake"/>, <see cref="WaitToReadAsync"/>) or all at once
/// (<see cref="Drain"/>, for synchronous hosts that poll).
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class BoundedBuffer<T>
{
    private readonly Lock _sync = new();
    private Queue<T> _items = new();
    private TaskCompletionSource? _waiter;
    private long _dropped;
    private bool _completed;

    /// <summary>The default capacity: 10,000 items.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>Creates a buffer.</summary>
    /// <param name="capacity">The most items kept; must be positive. Default <see cref="DefaultCapacity"/> (10,000).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    public BoundedBuffer(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The most items kept.</summary>
    public int Capacity { get; }

    /// <summary>How many items are buffered now.</summary>
    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>How many items were dropped, oldest first, because the buffer was full; never reset.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Whether <see cref="Complete"/> was called.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_sync)
            {
                return _completed;
            }
        }
    }

    /// <summary>Adds <paramref name="item"/> at the end, dropping the oldest item if the buffer is full.</summary>
    /// <returns>False if an older item was dropped to make room (or the buffer is completed and the item was ignored).</returns>
    public bool Add(T item)
    {
        TaskCompletionSource? waiter;
        var dropped = false;
        lock (_sync)
        {
            if (_completed)
            {
                return false;
            }

            if (_items.Count >= Capacity)
            {
                _items.Dequeue();
                dropped = true;
            }

            _items.Enqueue(item);
            waiter = _waiter;
            _waiter = null;
        }

        if (dropped)
        {
            Interlocked.Increment(ref _dropped);
        }

        waiter?.TrySetResult();
        return !dropped;
    }

    /// <summary>Takes the oldest item, if any.</summary>
    public bool TryTake(out T item)
    {
        lock (_sync)
        {
            return _items.TryDequeue(out item!);
        }
    }

    /// <summary>
    /// Removes and returns everything buffered, oldest first. Producers are held up only for the swap of
    /// the internal queue, never for the copy.
    /// </summary>
    public IReadOnlyList<T> Drain()
    {
        Queue<T> taken;
        lock (_sync)
        {
            if (_items.Count == 0)
            {
                return [];
            }

            taken = _items;
            _items = new Queue<T>();
        }

        return [.. taken];
    }

    /// <summary>Waits until an item is buffered or the buffer is completed.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>True when an item is available; false when the buffer is completed and empty.</returns>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_sync)
            {
                if (_items.Count > 0)
                {
                    return true;
                }

                if (_completed)
                {
                    return false;
                }

                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Marks the buffer as finished: later items are ignored and waiting readers end once it is empty.</summary>
    public void Complete()
    {
        TaskCompletionSource? waiter;
        lock (_sync)
        {
            _completed = true;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }
}
