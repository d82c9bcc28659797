namespace Herald.Tests;

public sealed class InMemoryEventStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task AppendAssignsIncreasingIdsAndPagesReadInOrder()
    {
        var store = new InMemoryEventStore();
        var stored = await store.AppendAsync(Events("a", 5), None);
        Assert.Equal([1L, 2, 3, 4, 5], stored.Select(e => e.Id));

        var first = await store.ReadAsync(new EventQuery(0, 2, []), None);
        Assert.Equal([1L, 2], first.Events.Select(e => e.Id));
        Assert.Equal(2, first.ScannedThroughId);
        Assert.False(first.ReachedEnd);

        var last = await store.ReadAsync(new EventQuery(3, 10, []), None);
        Assert.Equal([4L, 5], last.Events.Select(e => e.Id));
        Assert.Equal(5, last.ScannedThroughId);
        Assert.True(last.ReachedEnd);
    }

    [Fact]
    public async Task FilteredReadScansPastNonMatchingEvents()
    {
        var store = new InMemoryEventStore();
        await store.AppendAsync([.. Events("a", 2), .. Events("b", 3), .. Events("a", 1)], None);

        var page = await store.ReadAsync(new EventQuery(0, 10, [TopicFilter.Parse("b")]), None);
        Assert.Equal([3L, 4, 5], page.Events.Select(e => e.Id));
        Assert.Equal(6, page.ScannedThroughId);
        Assert.True(page.ReachedEnd);

        var none = await store.ReadAsync(new EventQuery(5, 10, [TopicFilter.Parse("b")]), None);
        Assert.Empty(none.Events);
        Assert.Equal(6, none.ScannedThroughId);
        Assert.True(none.ReachedEnd);
    }

    [Fact]
    public async Task SparseTopicReadStopsAtTheScanBoundWithoutReachingTheEnd()
    {
        var store = new InMemoryEventStore();
        await store.AppendAsync(Events("noise", 5000), None);

        var page = await store.ReadAsync(new EventQuery(0, 1, [TopicFilter.Parse("rare")]), None);

        Assert.Empty(page.Events);
        Assert.Equal(4096, page.ScannedThroughId);
        Assert.False(page.ReachedEnd);
    }

    [Fact]
    public async Task ReadPastTheEndIsEmptyAndReachedEnd()
    {
        var store = new InMemoryEventStore();
        Assert.True((await store.ReadAsync(new EventQuery(0, 10, []), None)).ReachedEnd);
        await store.AppendAsync(Events("a", 2), None);

        var page = await store.ReadAsync(new EventQuery(9, 10, []), None);

        Assert.Empty(page.Events);
        Assert.Equal(9, page.ScannedThroughId);
        Assert.True(page.ReachedEnd);
    }

    [Fact]
    public async Task RingOverflowDropsTheOldestAndMovesTheBounds()
    {
        var store = new InMemoryEventStore(capacity: 3);
        Assert.Equal(new EventStoreBounds(0, 0), await store.GetBoundsAsync(None));

        await store.AppendAsync(Events("a", 5), None);

        Assert.Equal(new EventStoreBounds(3, 5), await store.GetBoundsAsync(None));
        Assert.Null(await store.GetAsync(2, None));
        Assert.Equal(3, (await store.GetAsync(3, None))!.Id);
        Assert.Null(await store.GetAsync(6, None));
        var page = await store.ReadAsync(new EventQuery(0, 10, []), None);
        Assert.Equal([3L, 4, 5], page.Events.Select(e => e.Id));
        Assert.True(page.ReachedEnd);
    }

    [Fact]
    public async Task StoredEventsKeepTheirFields()
    {
        var store = new InMemoryEventStore();
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var e = (await store.AppendAsync([new NewEvent("a/b", "t", "[1]"u8.ToArray()) { Time = time, Source = "s" }], None))[0];

        var read = await store.GetAsync(e.Id, None);
        Assert.Same(e, read);
        Assert.Equal(("a/b", "t", time, "s"), (read!.Topic, read.Type, read.Time, read.Source));
        Assert.Equal([1], read.GetData<int[]>()!);
    }

    private static NewEvent[] Events(string topic, int count)
        => [.. Enumerable.Range(0, count).Select(i => NewEvent.Create(topic, "t", i))];
}
