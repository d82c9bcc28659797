using System.Collections.Concurrent;

namespace Herald.Client.Internal;

/// <summary>
/// A synchronization context that runs everything posted to it on the one thread that pumps it, like an
/// event loop. <see cref="Run"/> pumps it until the given async function completes.
/// </summary>
/// <remarks>
/// The queue holds only continuations of the loop's own pending awaits, so its length is bounded by how
/// many awaits the loop has in flight at once, not by outside input.
/// </remarks>
internal sealed class SingleThreadSynchronizationContext : SynchronizationContext, IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];
    private readonly int _threadId = Environment.CurrentManagedThreadId;

    /// <summary>Runs <paramref name="body"/> on the current thread with this context installed and returns when it completes.</summary>
    /// <exception cref="Exception">Whatever <paramref name="body"/> threw.</exception>
    public static void Run(Func<Task> body)
    {
        var previous = Current;
        using var context = new SingleThreadSynchronizationContext();
        SetSynchronizationContext(context);
        try
        {
            var task = body();
            task.ContinueWith(static (_, state) => ((SingleThreadSynchronizationContext)state!).Complete(), context, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            context.RunOnCurrentThread();
            // The task has completed here: this only rethrows its exception, it never blocks.
            task.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    /// <inheritdoc />
    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            _queue.Add((d, state));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // The loop has finished; a late continuation still has to run somewhere.
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.d(s.state), (d, state), preferLocal: false);
        }
    }

    /// <inheritdoc />
    public override void Send(SendOrPostCallback d, object? state)
    {
        if (Environment.CurrentManagedThreadId == _threadId)
        {
            d(state);
            return;
        }

        throw new NotSupportedException("Synchronous Send from another thread is not supported by the background loop.");
    }

    /// <inheritdoc />
    public void Dispose() => _queue.Dispose();

    /// <inheritdoc />
    public override SynchronizationContext CreateCopy() => this;

    private void RunOnCurrentThread()
    {
        foreach (var (callback, state) in _queue.GetConsumingEnumerable())
        {
            callback(state);
        }
    }

    private void Complete() => _queue.CompleteAdding();
}
