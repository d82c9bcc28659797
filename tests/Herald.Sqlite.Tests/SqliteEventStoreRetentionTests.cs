namespace Herald.Sqlite.Tests;

public sealed class SqliteEventStoreRetentionTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RetentionByCountKeepsTheNewestAndMovesFirstId()
    {
        await using var store = await Events.OpenAsync(_dir.Options(o => o.MaxEvents = 10));
        await store.AppendAsync(Events.Batch("a", 25), None).Within();

        var deleted = await store.EnforceRetentionAsync(None).Within();

        Assert.Equal(15, deleted);
        Assert.Equal(new EventStoreBounds(16, 25), await store.GetBoundsAsync(None).Within());
        Assert.Null(await store.GetAsync(15, None).Within());
        Assert.NotNull(await store.GetAsync(16, None).Within());
        var page = await store.ReadAsync(Events.Query(0, 100), None).Within();
        Assert.Equal(Enumerable.Range(16, 10).Select(i => (long)i), page.Events.Select(e => e.Id));
        Assert.Equal(0, await store.EnforceRetentionAsync(None).Within());
    }

    [Fact]
    public async Task RetentionByCountDeletesManyChunks()
    {
        await using var store = await Events.OpenAsync(_dir.Options(o => o.MaxEvents = 100));
        for (var i = 0; i < 5; i++)
        {
            await store.AppendAsync(Events.Batch("a", 1_000), None).Within();
        }

        Assert.Equal(4_900, await store.EnforceRetentionAsync(None).Within());
        Assert.Equal(new EventStoreBounds(4_901, 5_000), await store.GetBoundsAsync(None).Within());
    }

    [Fact]
    public async Task RetentionByAgeDeletesOlderEventsOnly()
    {
        var clock = new ManualTimeProvider(Start);
        await using var store = await Events.OpenAsync(_dir.Options(o => o.MaxAge = TimeSpan.FromHours(1)), clock);
        await store.AppendAsync(Events.Batch("a", 3), None).Within();
        clock.Advance(TimeSpan.FromMinutes(45));
        await store.AppendAsync(Events.Batch("a", 2), None).Within();

        Assert.Equal(0, await store.EnforceRetentionAsync(None).Within());
        clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(3, await store.EnforceRetentionAsync(None).Within());
        Assert.Equal(new EventStoreBounds(4, 5), await store.GetBoundsAsync(None).Within());
    }

    [Fact]
    public async Task RetentionByCountAndAgeTogetherAppliesBoth()
    {
        var clock = new ManualTimeProvider(Start);
        await using var store = await Events.OpenAsync(_dir.Options(o => { o.MaxAge = TimeSpan.FromHours(1); o.MaxEvents = 4; }), clock);
        await store.AppendAsync(Events.Batch("a", 3), None).Within();
        clock.Advance(TimeSpan.FromHours(2));
        await store.AppendAsync(Events.Batch("a", 6), None).Within();

        Assert.Equal(5, await store.EnforceRetentionAsync(None).Within());
        Assert.Equal(new EventStoreBounds(6, 9), await store.GetBoundsAsync(None).Within());
    }

    [Fact]
    public async Task IdsAreNotReusedAfterRetentionEmptiedTheStoreAndARestart()
    {
        var clock = new ManualTimeProvider(Start);
        var options = _dir.Options(o => o.MaxAge = TimeSpan.FromHours(1));
        await using (var store = await Events.OpenAsync(options, clock))
        {
            await store.AppendAsync(Events.Batch("a", 5), None).Within();
            clock.Advance(TimeSpan.FromHours(2));
            Assert.Equal(5, await store.EnforceRetentionAsync(None).Within());
            Assert.Equal(new EventStoreBounds(0, 5), await store.GetBoundsAsync(None).Within());

            var page = await store.ReadAsync(Events.Query(0, 10), None).Within();
            Assert.Empty(page.Events);
            Assert.True(page.ReachedEnd);
        }

        await using (var reopened = await Events.OpenAsync(options, clock))
        {
            Assert.Equal(new EventStoreBounds(0, 5), await reopened.GetBoundsAsync(None).Within());
            var more = await reopened.AppendAsync(Events.Batch("a", 2), None).Within();
            Assert.Equal([6L, 7], more.Select(e => e.Id));
        }
    }

    [Fact]
    public async Task BackgroundLoopEnforcesRetention()
    {
        await using var store = await Events.OpenAsync(_dir.Options(o => { o.MaxEvents = 2; o.RetentionInterval = TimeSpan.FromMilliseconds(20); }));
        await store.AppendAsync(Events.Batch("a", 10), None).Within();

        // Poll the observable effect (bounded), rather than sleeping a fixed time.
        using var timeout = new CancellationTokenSource(Bounded.Timeout);
        while ((await store.GetBoundsAsync(None).Within()).FirstId != 9)
        {
            await Task.Delay(10, timeout.Token);
        }

        Assert.Equal(new EventStoreBounds(9, 10), await store.GetBoundsAsync(None).Within());
    }

    [Fact]
    public async Task ReadingPastDeletedEventsStartsAtTheOldestKept()
    {
        await using var store = await Events.OpenAsync(_dir.Options(o => o.MaxEvents = 3));
        await store.AppendAsync(Events.Batch("a", 8), None).Within();
        await store.EnforceRetentionAsync(None).Within();

        var page = await store.ReadAsync(Events.Query(2, 100, "a"), None).Within();

        Assert.Equal([6L, 7, 8], page.Events.Select(e => e.Id));
        Assert.True(page.ReachedEnd);
    }

    [Fact]
    public async Task RetentionByAgeGoesInIdOrderSoAFutureDatedEventHoldsBackLaterOnes()
    {
        var clock = new ManualTimeProvider(Start);
        await using var store = await Events.OpenAsync(_dir.Options(o => o.MaxAge = TimeSpan.FromHours(1)), clock);
        await store.AppendAsync(Events.Batch("a", 2), None).Within();
        await store.AppendAsync(Events.Batch("a", 1, time: Start.AddHours(10)), None).Within();
        await store.AppendAsync(Events.Batch("a", 2, time: Start), None).Within();
        clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(2, await store.EnforceRetentionAsync(None).Within());
        Assert.Equal(new EventStoreBounds(3, 5), await store.GetBoundsAsync(None).Within());
    }

    [Fact]
    public async Task RetentionByAgeDeletesManyChunksAndStopsAtTheFirstEventToKeep()
    {
        var clock = new ManualTimeProvider(Start);
        await using var store = await Events.OpenAsync(_dir.Options(o => o.MaxAge = TimeSpan.FromHours(1)), clock);
        await store.AppendAsync(Events.Batch("a", 2_500), None).Within();
        clock.Advance(TimeSpan.FromHours(2));
        await store.AppendAsync(Events.Batch("a", 3), None).Within();

        Assert.Equal(2_500, await store.EnforceRetentionAsync(None).Within());
        Assert.Equal(new EventStoreBounds(2_501, 2_503), await store.GetBoundsAsync(None).Within());
    }
}
