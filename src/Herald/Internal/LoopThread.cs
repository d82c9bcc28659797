namespace Herald.Internal;

/// <summary>
/// Runs one async loop on a thread of its own: whatever the loop awaits with the captured context comes back
/// to that thread instead of queueing behind the thread pool's work.
/// </summary>
/// <remarks>
/// Only the loop's own continuations are queued here, one at a time, so the queue stays bounded. Code the
/// loop calls must not block waiting for work that continues on this context: nothing else would run it.
/// </remarks>
internal sealed class LoopThread : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly object _gate = new();
    private bool _loopEnded;
    private bool _exited;

    private LoopThread()
    {
    }

    /// <summary>Starts <paramref name="loop"/> on a new background thread named <paramref name="name"/>; the task ends with the loop.</summary>
    public static Task Run(string name, Func<Task> loop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var context = new LoopThread();
        new Thread(() => context.Run(loop, done)) { IsBackground = true, Name = name }.Start();
        return done.Task;
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_gate)
        {
            if (!_exited)
            {
                _queue.Enqueue((d, state));
                Monitor.Pulse(_gate);
                return;
            }
        }

        // A late continuation (a timer the loop left behind) still runs, just not here.
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.d(s.state), (d, state), preferLocal: false);
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("The loop thread runs posted work only.");

    public override SynchronizationContext CreateCopy() => this;

    private void Run(Func<Task> loop, TaskCompletionSource done)
    {
        SetSynchronizationContext(this);
        Task task;
        try
        {
            task = loop();
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }

        task.ContinueWith(_ => EndLoop(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (TryTake(out var item))
        {
            item.Callback(item.State);
        }

        if (task.Exception is { } error)
        {
            done.TrySetException(error.InnerExceptions);
        }
        else if (task.IsCanceled)
        {
            done.TrySetCanceled();
        }
        else
        {
            done.TrySetResult();
        }
    }

    private void EndLoop()
    {
        lock (_gate)
        {
            _loopEnded = true;
            Monitor.Pulse(_gate);
        }
    }

    private bool TryTake(out (SendOrPostCallback Callback, object? State) item)
    {
        lock (_gate)
        {
            while (_queue.Count == 0)
            {
                if (_loopEnded)
                {
                    _exited = true;
                    item = default;
                    return false;
                }

                Monitor.Wait(_gate);
            }

            item = _queue.Dequeue();
            return true;
        }
    }
}
