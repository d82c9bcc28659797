using Herald.Internal.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Herald.Internal.Dispatch;

/// <summary>
/// Fan-out follows the log: one loop takes every event the log stores, from any writer, in id order
/// (<see cref="IEventStore.FollowAsync"/>), and offers it to the connections whose patterns match. Delivery
/// latency is measured from the time the log accepted the event, so it means the same on every node.
/// </summary>
internal sealed class EventDispatcher(IEventStore store, SubscriptionIndex index, HeraldMetrics metrics, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _progress = new();
    private TaskCompletionSource? _reached;
    private long _waitingFor;
    private long _lastId;
    private Task _loop = Task.CompletedTask;

    /// <summary>The id of the last event fanned out.</summary>
    public long LastDispatchedId => Volatile.Read(ref _lastId);

    /// <summary>Starts following the log after <paramref name="afterId"/> (the last id stored when the hub started).</summary>
    public void Start(long afterId)
    {
        _lastId = afterId;
        _loop = Task.Run(FollowLoopAsync, CancellationToken.None);
    }

    /// <summary>Fans out what the log holds up to <paramref name="throughId"/> (bounded by <paramref name="cancellationToken"/>), then stops.</summary>
    public async Task StopAsync(long throughId, CancellationToken cancellationToken)
    {
        try
        {
            await WaitForAsync(throughId).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
        }
    }

    private Task WaitForAsync(long id)
    {
        lock (_progress)
        {
            if (_lastId >= id || _loop.IsCompleted)
            {
                return Task.CompletedTask;
            }

            _waitingFor = id;
            return (_reached ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    private async Task FollowLoopAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                try
                {
                    await foreach (var e in store.FollowAsync(LastDispatchedId, _stopping.Token).ConfigureAwait(false))
                    {
                        Dispatch(e);
                    }

                    // The store was disposed: nothing more will come.
                    return;
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Follow again from the last event fanned out: nothing is skipped, nothing sent twice.
                    Log.FollowFailed(logger, LastDispatchedId, ex);
                    await Task.Delay(RetryDelay, time, _stopping.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_progress)
            {
                _reached?.TrySetResult();
            }
        }
    }

    private void Dispatch(HeraldEvent e)
    {
        try
        {
            var (matched, queued) = index.Dispatch(e);
            metrics.Deliveries.Add(queued);
            Log.Broadcast(logger, e.Id, e.Topic, matched);
            if (e.StoredAt is { } storedAt)
            {
                metrics.Dispatched(time.GetUtcNow() - storedAt, matched);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One bad fan-out must not stop the hub; the event stays stored for replay.
            Log.DispatchFailed(logger, e.Id, ex);
        }

        lock (_progress)
        {
            _lastId = e.Id;
            if (_reached is not null && e.Id >= _waitingFor)
            {
                _reached.TrySetResult();
                _reached = null;
            }
        }
    }
}
