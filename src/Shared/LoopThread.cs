namespace Herald.Internal;

/// <summary>
/// Runs one async loop on one thread, like an event loop: whatever the loop awaits with the captured context
/// comes back to that thread instead of queueing behind the thread pool's work. <see cref="Run"/> starts the
/// loop on a new background thread; <see cref="RunOnCurrentThread"/> pumps it on the calling thread.
/// </summary>
/// <remarks>
/// <para>
/// Only the loop's own continuations are queued here, one per await in flight, so the queue stays bounded by
/// what the loop does, not by outside input. Code the loop calls must not block waiting for work that
/// continues on this context: nothing else would run it (as on a UI thread).
/// </para>
/// <para>
/// Compiled into Herald (the event pipeline's append loop) and Herald.Client (the background runner) from
/// <c>src/Shared</c>.
/// </para>
/// </remarks>
internal sealed class LoopThread : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly object _gate = new();
    private readonly int _threadId = Environment.CurrentManagedThreadId;
    private bool _loopEnded;
    private bool _exited;

    private LoopThread()
    {
    }

    /// <summary>Starts <paramref name="loop"/> on a new background thread named <paramref name="name"/>; the task ends with the loop.</summary>
    /// <returns>Completes, fails or is cancelled as the loop's own task did.</returns>
    public static Task Run(string name, Func<Task> loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() => done.TrySetFromTask(Pump(loop))) { IsBackground = true, Name = name }.Start();
        return done.Task;
    }

    /// <summary>
    /// Runs <paramref name="loop"/> on the calling thread with this context installed and returns once its task
    /// has completed; the thread's previous context is restored afterwards.
    /// </summary>
    /// <exception cref="Exception">Whatever the loop threw.</exception>
    public static void RunOnCurrentThread(Func<Task> loop)
    {
        ArgumentNullException.ThrowIfNull(loop);

        // The task has completed here: this only rethrows its exception, it never blocks.
        Pump(loop).GetAwaiter().GetResult();
    }

    /// <inheritdoc />
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

    /// <inheritdoc />
    public override void Send(SendOrPostCallback d, object? state)
    {
        if (Environment.CurrentManagedThreadId == _threadId)
        {
            d(state);
            return;
        }

        throw new NotSupportedException("The loop thread runs posted work only; Send works only from the loop's own thread.");
    }

    /// <inheritdoc />
    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs the loop on the current thread until its task has completed, and returns that task.</summary>
    private static Task Pump(Func<Task> loop)
    {
        var previous = Current;
        var context = new LoopThread();
        SetSynchronizationContext(context);
        try
        {
            Task task;
            try
            {
                task = loop();
            }
            catch (Exception ex)
            {
                task = Task.FromException(ex);
            }

            task.ContinueWith(static (_, state) => ((LoopThread)state!).EndLoop(), context, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            while (context.TryTake(out var item))
            {
                item.Callback(item.State);
            }

            return task;
        }
        finally
        {
            SetSynchronizationContext(previous);
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
