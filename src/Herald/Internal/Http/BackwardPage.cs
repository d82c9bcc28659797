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

    /// <summary>
    /// Reads at most <paramref name="limit"/> events with <paramref name="after"/> &lt; id &lt; <paramref name="before"/>,
    /// and no more than <paramref name="budget"/>'s bytes of them (always at least one): the newest ones.
    /// </summary>
    /// <returns>
    /// The events in id order, and <c>Prev</c>: the <c>before</c> of the next older page (the oldest id returned),
    /// or <see langword="null"/> when no older matching event is stored. A full page that did not need to look down to
    /// the oldest stored id names a <c>Prev</c> even if nothing older matches; the page after it is then empty.
    /// </returns>
    public static async Task<(List<HeraldEvent> Events, long? Prev)> ReadAsync(
        IEventStore store, long before, long after, int limit, IReadOnlyList<TopicFilter> filters, PageBudget budget, CancellationToken cancellationToken)
    {
        var bounds = await store.GetBoundsAsync(cancellationToken).ConfigureAwait(false);
        // Ids at or below 'floor' hold nothing to return: before the range asked for, or removed by retention.
        var floor = Math.Max(after, bounds.FirstId == 0 ? bounds.LastId : bounds.FirstId - 1);
        var high = Math.Min(before - 1, bounds.LastId);

        // Windows from newest to oldest, each read oldest first; the page keeps the newest events that fit.
        var page = new Page(limit, budget.MaxBytes, budget);
        long window = limit;
        while (high > floor && !page.IsFull)
        {
            var start = Math.Max(floor, high - window);
            var windowPage = new Page(limit - page.Count, budget.MaxBytes - page.Bytes, budget);
            await ReadRangeAsync(store, start, high, filters, windowPage, cancellationToken).ConfigureAwait(false);
            page.PrependOlder(windowPage);
            high = start;
            window = Math.Min(window * 4, MaxWindow);
        }

        var events = page.ToList();
        // A full page may have older events below it; a short one reached the oldest stored.
        return (events, (events.Count > 0 && page.IsFull && high > floor) || page.Dropped ? events[0].Id : null);
    }

    /// <summary>Reads every matching event with <paramref name="start"/> &lt; id &lt;= <paramref name="end"/> into <paramref name="page"/>, which keeps the newest that fit.</summary>
    private static async Task ReadRangeAsync(IEventStore store, long start, long end, IReadOnlyList<TopicFilter> filters, Page page, CancellationToken cancellationToken)
    {
        var cursor = start;
        while (cursor < end)
        {
            var size = (int)Math.Min(Math.Min(MaxReadSize, end - cursor), page.NextRead());
            var read = await store.ReadAsync(new EventQuery(cursor, size, filters), cancellationToken).ConfigureAwait(false);
            foreach (var e in read.Events)
            {
                if (e.Id <= end)
                {
                    page.AddNewer(e);
                }
            }

            if (read.ReachedEnd || read.ScannedThroughId <= cursor)
            {
                break;
            }

            cursor = read.Events.Count > 0 ? Math.Max(read.ScannedThroughId, read.Events[^1].Id) : read.ScannedThroughId;
        }
    }

    /// <summary>
    /// The newest events seen, in id order, at most a count and about a number of bytes: adding a newer event past
    /// either drops the oldest ones (always keeping the newest).
    /// </summary>
    private sealed class Page(int limit, long maxBytes, PageBudget budget)
    {
        private readonly LinkedList<(HeraldEvent Event, int Bytes)> _events = new();

        public int Count => _events.Count;

        public long Bytes { get; private set; }

        /// <summary>Whether events were dropped to fit: older matching events exist below the page.</summary>
        public bool Dropped { get; private set; }

        public bool IsFull => Dropped || _events.Count >= limit || Bytes >= maxBytes;

        /// <summary>How many events to read next; the bytes left are counted as if none will be dropped.</summary>
        public int NextRead() => budget.NextRead(Math.Max(limit - _events.Count, 1), Math.Max(maxBytes - Bytes, 0));

        public void AddNewer(HeraldEvent e)
        {
            var bytes = budget.Measure(e);
            _events.AddLast((e, bytes));
            Bytes += bytes;
            while (_events.Count > 1 && (_events.Count > limit || Bytes > maxBytes))
            {
                Bytes -= _events.First!.Value.Bytes;
                _events.RemoveFirst();
                Dropped = true;
            }
        }

        /// <summary>Puts <paramref name="older"/>'s events, all older than this page's, in front of them.</summary>
        public void PrependOlder(Page older)
        {
            for (var node = older._events.Last; node is not null; node = node.Previous)
            {
                _events.AddFirst(node.Value);
                Bytes += node.Value.Bytes;
            }

            Dropped |= older.Dropped;
        }

        public List<HeraldEvent> ToList() => [.. _events.Select(x => x.Event)];
    }
}
