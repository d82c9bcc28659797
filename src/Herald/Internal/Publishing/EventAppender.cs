using System.Diagnostics;
using System.Threading.Channels;
using Herald.Internal.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Herald.Internal.Publishing;

/// <summary>
/// The publish path: publishers enqueue; one appender stores what has piled up as one batch (group commit) and
/// acknowledges each publish once its events are stored. Fan-out is not its business: every hub's dispatcher
/// follows the log and delivers what was stored, whoever appended it. The queue is bounded, so a flood slows
/// publishers down instead of growing memory.
/// </summary>
internal sealed class EventAppender
{
    private readonly IEventStore _store;
    private readonly HeraldOptions _options;
    private readonly TimeProvider _time;
    private readonly HeraldMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<PublishRequest> _ingest;
    private Task _loop = Task.CompletedTask;
    private long _lastStoredId;

    public EventAppender(IEventStore store, HeraldOptions options, TimeProvider time, HeraldMetrics metrics, ILogger logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _ingest = Channel.CreateBounded<PublishRequest>(new BoundedChannelOptions(options.PublishQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The id of the last event this appender stored (0 before the first).</summary>
    public long LastStoredId => Volatile.Read(ref _lastStoredId);

    /// <summary>
    /// Starts the loop on a thread of its own: every event passes through it one batch at a time, so its wake-ups
    /// must not wait behind the thread pool's queue, and a store that blocks while the disk syncs (SQLite) blocks
    /// that thread instead of one of the pool's.
    /// </summary>
    public void Start() => _loop = LoopThread.Run("Herald append", AppendLoopAsync);

    /// <summary>Stores the events and returns them with their ids, after they are durable.</summary>
    public async ValueTask<IReadOnlyList<HeraldEvent>> PublishAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<IReadOnlyList<HeraldEvent>>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _ingest.Writer.WriteAsync(new PublishRequest(events, completion), cancellationToken).ConfigureAwait(false);
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
        if (_ingest.Writer.TryWrite(new PublishRequest([e], null)))
        {
            return true;
        }

        _metrics.EventsDropped.Increment();
        return false;
    }

    /// <summary>Stops taking events, then finishes storing what was accepted.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _ingest.Writer.TryComplete();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // Runs on its LoopThread: awaits keep the captured context (ConfigureAwait(true)) to come back to it.
    private async Task AppendLoopAsync()
    {
        var reader = _ingest.Reader;
        var requests = new List<PublishRequest>();
        var events = new List<NewEvent>();
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
                stored = await _store.AppendAsync(events, CancellationToken.None).ConfigureAwait(true);
                _metrics.Appended(appendStarted);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _metrics.AppendFailed();
                Fail(requests, ex);
                continue;
            }

            Volatile.Write(ref _lastStoredId, stored[^1].Id);
            Complete(requests, stored);
        }
    }

    private void Drain(ChannelReader<PublishRequest> reader, List<PublishRequest> requests, List<NewEvent> events)
    {
        while (events.Count < _options.MaxBatchSize && reader.TryRead(out var request))
        {
            requests.Add(request);
            foreach (var e in request.Events)
            {
                events.Add(e.Time is null ? e.WithTime(_time.GetUtcNow()) : e);
            }
        }
    }

    private void Complete(List<PublishRequest> requests, IReadOnlyList<HeraldEvent> stored)
    {
        _metrics.EventsPublished.Add(stored.Count);
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
                _metrics.EventsDropped.Add(request.Events.Count);
            }
        }
    }
}
