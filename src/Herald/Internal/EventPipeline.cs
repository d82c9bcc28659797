using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Herald.Internal;

/// <summary>
/// The ordered path of every event: publishers enqueue; one appender stores what has piled up as one
/// batch (group commit) and acknowledges it; one dispatcher fans the stored batches out in id order.
/// Storing and fanning out overlap, and both queues are bounded so a flood slows publishers down
/// instead of growing memory.
/// </summary>
internal sealed class EventPipeline
{
    private const int DispatchQueueCapacity = 64;

    private readonly HubCore _hub;
    private readonly ILogger _logger;
    private readonly Channel<PublishRequest> _ingest;
    private readonly Channel<StoredBatch> _dispatch;
    private readonly Action<HeraldEvent> _prepareFrame;
    private Task _loops = Task.CompletedTask;

    public EventPipeline(HubCore hub)
    {
        _hub = hub;
        _logger = hub.Logger;
        _prepareFrame = e => hub.EventFrame(e);
        _ingest = Channel.CreateBounded<PublishRequest>(new BoundedChannelOptions(hub.Options.PublishQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _dispatch = Channel.CreateBounded<StoredBatch>(new BoundedChannelOptions(DispatchQueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>
    /// Starts the loops. The append loop has a thread of its own: every event passes through it one batch at a
    /// time, so its wake-ups must not wait behind the thread pool's queue, and a store that blocks while the
    /// disk syncs (SQLite) blocks that thread instead of one of the pool's.
    /// </summary>
    public void Start() => _loops = Task.WhenAll(LoopThread.Run("Herald append", AppendLoopAsync), Task.Run(DispatchLoopAsync));

    /// <summary>Stores the events and returns them with their ids, after they are durable.</summary>
    public async ValueTask<IReadOnlyList<HeraldEvent>> PublishAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<IReadOnlyList<HeraldEvent>>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _ingest.Writer.WriteAsync(new PublishRequest(events, completion, Stopwatch.GetTimestamp()), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new EventStoreUnavailableException("Herald is shutting down and accepts no more events.");
        }

        return await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues an event without waiting; false when the publish queue is full or the hub is stopping.</summary>
    public bool TryPublish(NewEvent e)
    {
        if (_ingest.Writer.TryWrite(new PublishRequest([e], null, Stopwatch.GetTimestamp())))
        {
            return true;
        }

        _hub.Metrics.EventsDropped.Increment();
        return false;
    }

    /// <summary>Stops taking events, then finishes storing and fanning out what was accepted.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _ingest.Writer.TryComplete();
        await _loops.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // Runs on its LoopThread: awaits keep the captured context (ConfigureAwait(true)) to come back to it.
    private async Task AppendLoopAsync()
    {
        var reader = _ingest.Reader;
        var requests = new List<PublishRequest>();
        var events = new List<NewEvent>();
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(true))
            {
                // Whatever piled up while the last batch was being stored goes in one commit (group commit).
                requests.Clear();
                events.Clear();
                Drain(reader, requests, events);
                if (requests.Count == 0)
                {
                    continue;
                }

                IReadOnlyList<HeraldEvent> stored;
                var appendStarted = Stopwatch.GetTimestamp();
                try
                {
                    stored = await _hub.Store.AppendAsync(events, CancellationToken.None).ConfigureAwait(true);
                    _hub.Metrics.Appended(appendStarted);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    _hub.Metrics.AppendFailed();
                    Fail(requests, ex);
                    continue;
                }

                Complete(requests, stored);
                await _dispatch.Writer.WriteAsync(new StoredBatch(stored, requests.ToArray())).ConfigureAwait(true);
            }
        }
        finally
        {
            _dispatch.Writer.TryComplete();
        }
    }

    private void Drain(ChannelReader<PublishRequest> reader, List<PublishRequest> requests, List<NewEvent> events)
    {
        while (events.Count < _hub.Options.MaxBatchSize && reader.TryRead(out var request))
        {
            requests.Add(request);
            foreach (var e in request.Events)
            {
                events.Add(e.Time is null ? e.WithTime(_hub.Time.GetUtcNow()) : e);
            }
        }
    }

    private void Complete(List<PublishRequest> requests, IReadOnlyList<HeraldEvent> stored)
    {
        _hub.Metrics.EventsPublished.Add(stored.Count);
        var offset = 0;
        foreach (var request in requests)
        {
            var count = request.Events.Count;
            if (request.Completion is { } completion)
            {
                var slice = new HeraldEvent[count];
                for (var i = 0; i < count; i++)
                {
                    slice[i] = stored[offset + i];
                }

                completion.TrySetResult(slice);
            }

            offset += count;
        }
    }

    private void Fail(List<PublishRequest> requests, Exception ex)
    {
        var error = ex as EventStoreUnavailableException ?? new EventStoreUnavailableException($"The event store failed to store events: {ex.Message}", ex);
        Log.AppendFailed(_logger, requests.Sum(r => r.Events.Count), ex);
        foreach (var request in requests)
        {
            if (request.Completion is { } completion)
            {
                completion.TrySetException(error);
            }
            else
            {
                _hub.Metrics.EventsDropped.Add(request.Events.Count);
            }
        }
    }

    private async Task DispatchLoopAsync()
    {
        await foreach (var batch in _dispatch.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var offset = 0;
            foreach (var request in batch.Requests)
            {
                for (var i = 0; i < request.Events.Count; i++)
                {
                    var e = batch.Events[offset + i];
                    try
                    {
                        // Serialize once here, only when someone wants the event, so writers on other threads
                        // share the bytes instead of racing to build them.
                        var matched = _hub.Index.Dispatch(e, _prepareFrame);
                        _hub.Metrics.Dispatched(request.Timestamp, matched);
                        Log.Broadcast(_logger, e.Id, e.Topic, matched);
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        // One bad fan-out must not stop the hub; the event stays stored for replay.
                        Log.DispatchFailed(_logger, e.Id, ex);
                    }
                }

                offset += request.Events.Count;
                _hub.Metrics.BroadcastLatency.Record(Stopwatch.GetElapsedTime(request.Timestamp));
            }
        }
    }

    private sealed record PublishRequest(IReadOnlyList<NewEvent> Events, TaskCompletionSource<IReadOnlyList<HeraldEvent>>? Completion, long Timestamp);

    private sealed record StoredBatch(IReadOnlyList<HeraldEvent> Events, PublishRequest[] Requests);
}
