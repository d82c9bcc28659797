using Herald.Internal.Diagnostics;
using Herald.Internal.Dispatch;
using Herald.Internal.Protocol;

namespace Herald.Internal.Connections;

internal sealed partial class HeraldConnection
{
    private static readonly TimeSpan RoomPollInterval = TimeSpan.FromMilliseconds(5);

    // Non-null while a replay runs; guarded by _sync. The dispatcher buffers live events into it.
    private ReplayState? _replay;

    /// <summary>
    /// Subscribes to <paramref name="filters"/> and sends every stored event after <paramref name="since"/>
    /// that matches them, then switches to live delivery with no gap and no duplicate.
    /// </summary>
    /// <returns>False when a replay is already running.</returns>
    public bool StartReplay(long since, IReadOnlyList<TopicFilter> filters, ReadOnlyMemory<byte> reference)
    {
        ReplayState replay;
        lock (_sync)
        {
            if (_replay is not null)
            {
                return false;
            }

            // From here on the dispatcher buffers instead of sending, so nothing dispatched after this
            // point can overtake or be lost behind the stored events.
            replay = new ReplayState(since, _lastEventId, [.. _filters], filters, _services.Options.SendQueueCapacity);
            _replay = replay;
            _filters.UnionWith(filters);
        }

        _services.Index.Add(this, filters);
        TrySend(ServerFrames.Subscription(subscribed: true, filters.Select(f => f.Pattern), reference));
        _ = RunReplayAsync(replay, reference);
        return true;
    }

    private async Task RunReplayAsync(ReplayState replay, ReadOnlyMemory<byte> reference)
    {
        try
        {
            var store = _services.Store;
            var bounds = await store.GetBoundsAsync(CancellationToken.None).ConfigureAwait(false);
            // Complete only if nothing after 'since' was dropped by retention and the client is not ahead of the store.
            var complete = replay.Since <= bounds.LastId && (bounds.FirstId == 0 ? replay.Since >= bounds.LastId : replay.Since >= bounds.FirstId - 1);
            // A client ahead of the store (a store that was reset, or a made-up id) is caught up to the store's last id,
            // not its own: 'resumed' must name an id it can carry on from without skipping the events stored next.
            var cursor = Math.Min(replay.Since, bounds.LastId);
            var sentThrough = cursor;
            var resumedQueued = false;
            var allFilters = replay.OldFilters.Concat(replay.NewFilters).ToArray();
            while (!IsClosing)
            {
                var page = await store.ReadAsync(new EventQuery(cursor, _services.Options.ReplayPageSize, allFilters), CancellationToken.None).ConfigureAwait(false);
                foreach (var e in page.Events)
                {
                    if (replay.ShouldReplay(e) && IsSubscribedTo(e.Topic))
                    {
                        await SendWithBackPressureAsync(new EventFrame(e)).ConfigureAwait(false);
                    }
                }

                cursor = page.ScannedThroughId;
                sentThrough = Math.Max(sentThrough, cursor);
                if (!page.ReachedEnd)
                {
                    continue;
                }

                // Caught up with the store. Let the client drain first, so the switch to live delivery (which
                // never waits) does not meet a queue that the replay's back-pressure left full.
                await WaitForRoomAsync().ConfigureAwait(false);
                List<EventFrame> buffered;
                lock (_sync)
                {
                    if (replay.Overflowed)
                    {
                        // Too much arrived while replaying; the store has all of it, so read on from there.
                        replay.Reset();
                        continue;
                    }

                    buffered = replay.TakeBuffered(afterId: sentThrough);
                    if (buffered.Count == 0)
                    {
                        // 'resumed' goes in under the lock, so it precedes every live event.
                        _lastEventId = Math.Max(replay.LiveBefore, sentThrough);
                        _replay = null;
                        resumedQueued = _queue.TryWrite(ServerFrames.Resumed(replay.Since, sentThrough, complete, reference));
                        break;
                    }
                }

                foreach (var e in buffered)
                {
                    // A refreshed token may have narrowed the subscriptions since the event was buffered.
                    if (IsSubscribedTo(e.Topic))
                    {
                        await SendWithBackPressureAsync(e).ConfigureAwait(false);
                    }

                    sentThrough = e.Id;
                }

                cursor = sentThrough;
            }

            if (!resumedQueued && !IsClosing)
            {
                CloseSlowConsumer();
            }

            _services.Metrics.Replays.Increment();
            if (resumedQueued)
            {
                _services.Metrics.Resumed(complete);
            }
        }
        catch (Exception) when (IsClosing)
        {
            // The client left during the replay; nothing is wrong.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            using (BeginLogScope())
            {
                Log.ReplayFailed(_services.Logger, Id, ex);
            }

            _services.Metrics.ReplaysFailed.Increment();
            TrySend(ServerFrames.Error(ErrorCodes.Unavailable, "Replay failed: the event store is unavailable. Reconnect with the same 'since' to retry.", reference));
            RequestClose(CloseReason.ReplayFailed);
        }
    }

    private async Task WaitForRoomAsync()
    {
        var target = _services.Options.SendQueueCapacity / 2;
        while (_queue.Count > target && !IsClosing)
        {
            // Only at the end of a replay: a short poll is simpler than a signal on every send.
            await Task.Delay(RoomPollInterval, _services.Time).ConfigureAwait(false);
        }
    }

    private async ValueTask SendWithBackPressureAsync(EventFrame e)
    {
        // The dispatcher does not write while a replay runs, so waiting here only slows this replay.
        await _queue.WriteAsync(e).ConfigureAwait(false);
        _services.Metrics.Deliveries.Increment();
    }
}
