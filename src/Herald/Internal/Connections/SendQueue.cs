using System.Threading.Tasks.Sources;

namespace Herald.Internal.Connections;

/// <summary>
/// A connection's bounded send queue: many writers, one reader (the connection's writer loop). It costs an
/// idle connection a few hundred bytes less than a bounded channel: one lock, one small ring buffer that grows
/// only as far as the queue fills, and a reusable wait for the reader.
/// </summary>
internal sealed class SendQueue : IValueTaskSource<bool>, IThreadPoolWorkItem
{
    private const int InitialSize = 4;

    // A ring this large is let go when the queue empties, so a burst does not cost an idle connection for good.
    private const int KeptSize = 32;

    private readonly int _capacity;
    private readonly Lock _sync = new();
    private object?[]? _items;
    private int _head;
    private int _count;
    private bool _completed;
    private bool _readerWaiting;
    private TaskCompletionSource? _room;
    private ManualResetValueTaskSourceCore<bool> _readable;
    private bool _wakeResult;

    public SendQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Items waiting to be read.</summary>
    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _count;
            }
        }
    }

    /// <summary>Queues <paramref name="item"/> unless the queue is full or completed.</summary>
    public bool TryWrite(object item)
    {
        bool wake;
        lock (_sync)
        {
            if (_completed || _count == _capacity)
            {
                return false;
            }

            wake = EnqueueLocked(item);
        }

        if (wake)
        {
            Wake(true);
        }

        return true;
    }

    /// <summary>Queues <paramref name="item"/>, waiting for room when the queue is full.</summary>
    /// <exception cref="InvalidOperationException">The queue is completed.</exception>
    public async ValueTask WriteAsync(object item)
    {
        while (WriteOrGetRoom(item) is { } room)
        {
            await room.ConfigureAwait(false);
        }
    }

    /// <summary>Takes the oldest item, if any; <paramref name="more"/> tells whether others wait behind it.</summary>
    public bool TryRead(out object item, out bool more)
    {
        TaskCompletionSource? room;
        lock (_sync)
        {
            if (_count == 0)
            {
                item = null!;
                more = false;
                return false;
            }

            var items = _items!;
            item = items[_head]!;
            items[_head] = null;
            _head = (_head + 1) % items.Length;
            _count--;
            more = _count > 0;
            if (_count == 0 && items.Length > KeptSize)
            {
                _items = null;
                _head = 0;
            }

            room = _room;
            _room = null;
        }

        room?.TrySetResult();
        return true;
    }

    /// <summary>
    /// Completes when an item can be read (true) or the queue is completed and empty (false). One reader
    /// only: call again only after the previous wait has completed.
    /// </summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (_sync)
        {
            if (_count > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (_completed)
            {
                return new ValueTask<bool>(false);
            }

            _readable.Reset();
            _readerWaiting = true;
            return new ValueTask<bool>(this, _readable.Version);
        }
    }

    /// <summary>No more writes; the reader still gets what is queued. A writer waiting for room throws.</summary>
    public void Complete()
    {
        bool wake;
        TaskCompletionSource? room;
        lock (_sync)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            wake = _readerWaiting;
            _readerWaiting = false;
            room = _room;
            _room = null;
        }

        room?.TrySetResult();
        if (wake)
        {
            Wake(false);
        }
    }

    void IThreadPoolWorkItem.Execute() => _readable.SetResult(_wakeResult);

    bool IValueTaskSource<bool>.GetResult(short token) => _readable.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _readable.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _readable.OnCompleted(continuation, state, token, flags);

    /// <summary>
    /// Resumes the waiting reader on the thread pool's global queue, as a channel does: a writer that wakes
    /// many connections in a row (the dispatcher) then has them run in that order, not last first on its own thread.
    /// </summary>
    private void Wake(bool result)
    {
        _wakeResult = result;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Null once written; else a task that completes when an item has been read or the queue completes.</summary>
    private Task? WriteOrGetRoom(object item)
    {
        bool wake;
        lock (_sync)
        {
            if (_completed)
            {
                throw new InvalidOperationException("The send queue is completed.");
            }

            if (_count == _capacity)
            {
                return (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            wake = EnqueueLocked(item);
        }

        if (wake)
        {
            Wake(true);
        }

        return null;
    }

    /// <summary>Appends under the lock; true when the reader is waiting and must be woken (outside the lock).</summary>
    private bool EnqueueLocked(object item)
    {
        var items = _items ??= new object?[Math.Min(InitialSize, _capacity)];
        if (_count == items.Length)
        {
            var grown = new object?[Math.Min(items.Length * 2, _capacity)];
            for (var i = 0; i < _count; i++)
            {
                grown[i] = items[(_head + i) % items.Length];
            }

            _items = items = grown;
            _head = 0;
        }

        items[(_head + _count) % items.Length] = item;
        _count++;
        var wake = _readerWaiting;
        _readerWaiting = false;
        return wake;
    }
}
