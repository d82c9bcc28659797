namespace Herald.Internal.Http;

/// <summary>
/// The newest stored events below an id, for <c>GET /api/events?before=ID</c>: a reader scrolling back
/// through history. Built on the store's forward reads, so every <see cref="IEventStore"/> supports it.
/// </summary>
/// <remarks>
/// It reads forward through windows of ids below <c>before</c>, each window four times the last (starting at the
/// page size), until the page is full or nothing older is stored. On a dense topic that is one read of about
/// <c>limit</c> ids; on a sparse one the work grows with the span of ids the page covers, as a forward page's does.
/// </remarks>
internal static class BackwardPage
{
    private const int MaxReadSize = 1000;
    private const long MaxWindow = 1L << 20;

    /// <summary>Reads at most <paramref name="limit"/> events with <paramref name="after"/> &lt; id &lt; <paramref name="before"/>.</summary>
    /// <returns>
    /// The events in id order, and <c>Prev</c>: the <c>before</c> of the next older page (the oldest id returned),
    /// or <see langword="null"/> when no older matching event is stored. A full page that did not need to look down to
    /// the oldest stored id names a <c>Prev</c> even if nothing older matches; the page after it is then empty.
    /// </returns>
    public static async Task<(List<HeraldEvent> Events, long? Prev)> ReadAsync(
        IEventStore store, long before, long after, int limit, IReadOnlyList<TopicFilter> filters, CancellationToken cancellationToken)
    {
        var bounds = await store.GetBoundsAsync(cancellationToken).ConfigureAwait(false);
        // Ids at or below 'floor' hold nothing to return: before the range asked for, or removed by retention.
        var floor = Math.Max(after, bounds.FirstId == 0 ? bounds.LastId : bounds.FirstId - 1);
        var high = Math.Min(before - 1, bounds.LastId);

        // Windows from newest to oldest; each holds its events in id order.
        var windows = new List<List<HeraldEvent>>();
        var found = 0;
        long window = limit;
        while (high > floor && found < limit)
        {
            var start = Math.Max(floor, high - window);
            var events = await ReadRangeAsync(store, start, high, filters, cancellationToken).ConfigureAwait(false);
            windows.Add(events);
            found += events.Count;
            high = start;
            window = Math.Min(window * 4, MaxWindow);
        }

        var all = new List<HeraldEvent>(Math.Min(found, limit));
        for (var i = windows.Count - 1; i >= 0; i--)
        {
            all.AddRange(windows[i]);
        }

        var page = all.Count > limit ? all.GetRange(all.Count - limit, limit) : all;
        // A full page may have older events below it; a short one reached the oldest stored.
        return (page, (page.Count == limit && high > floor) || all.Count > limit ? page[0].Id : null);
    }

    /// <summary>Every matching event with <paramref name="start"/> &lt; id &lt;= <paramref name="end"/>, in id order.</summary>
    private static async Task<List<HeraldEvent>> ReadRangeAsync(IEventStore store, long start, long end, IReadOnlyList<TopicFilter> filters, CancellationToken cancellationToken)
    {
        var events = new List<HeraldEvent>();
        var cursor = start;
        while (cursor < end)
        {
            var size = (int)Math.Min(MaxReadSize, end - cursor);
            var page = await store.ReadAsync(new EventQuery(cursor, size, filters), cancellationToken).ConfigureAwait(false);
            foreach (var e in page.Events)
            {
                if (e.Id <= end)
                {
                    events.Add(e);
                }
            }

            if (page.ReachedEnd || page.ScannedThroughId <= cursor)
            {
                break;
            }

            cursor = page.Events.Count > 0 ? Math.Max(page.ScannedThroughId, page.Events[^1].Id) : page.ScannedThroughId;
        }

        return events;
    }
}
