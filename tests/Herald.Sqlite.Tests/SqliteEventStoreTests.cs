using System.Text;

namespace Herald.Sqlite.Tests;

public sealed class SqliteEventStoreTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AppendAssignsContiguousIdsAndReadsThemBack()
    {
        await using var store = await Events.OpenAsync(_dir.Options());
        var first = await store.AppendAsync(Events.Batch("a", 3), None).Within();
        var second = await store.AppendAsync(Events.Batch("b", 2), None).Within();

        Assert.Equal([1L, 2, 3], first.Select(e => e.Id));
        Assert.Equal([4L, 5], second.Select(e => e.Id));

        var page = await store.ReadAsync(Events.Query(0, 100), None).Within();
        Assert.Equal([1L, 2, 3, 4, 5], page.Events.Select(e => e.Id));
        Assert.Equal(5, page.ScannedThroughId);
        Assert.True(page.ReachedEnd);
        Assert.Equal("""{"n":1}""", Encoding.UTF8.GetString(page.Events[1].Data.Span));
        Assert.Equal("b", page.Events[3].Topic);
    }

    [Fact]
    public async Task StoredFieldsRoundTripExactly()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234));
        await using var store = await Events.OpenAsync(_dir.Options(), clock);
        var explicitTime = new DateTimeOffset(2029, 6, 7, 8, 9, 10, TimeSpan.FromHours(2)).AddTicks(5678);
        var stored = await store.AppendAsync(
            [
                new NewEvent("cameras/front", "motion", """{"x":[1,2]}"""u8.ToArray()) { Time = explicitTime, Source = "cam-1" },
                new NewEvent("cameras/front", "idle", ReadOnlyMemory<byte>.Empty),
            ],
            None).Within();

        var withTime = await store.GetAsync(stored[0].Id, None).Within();
        var withoutTime = await store.GetAsync(stored[1].Id, None).Within();

        Assert.NotNull(withTime);
        Assert.Equal(explicitTime, withTime.Time);
        Assert.Equal(stored[0].Time, withTime.Time);
        Assert.Equal("cam-1", withTime.Source);
        Assert.Equal("motion", withTime.Type);
        Assert.Equal("""{"x":[1,2]}""", Encoding.UTF8.GetString(withTime.Data.Span));
        Assert.NotNull(withoutTime);
        Assert.Equal(clock.GetUtcNow(), withoutTime.Time);
        Assert.Null(withoutTime.Source);
        Assert.Equal("null", Encoding.UTF8.GetString(withoutTime.Data.Span));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(64)]
    [InlineData(137)]
    public async Task EveryRowOfABatchRoundTripsInOrderWhateverTheBatchSize(int count)
    {
        await using var store = await Events.OpenAsync(_dir.Options());
        var events = Enumerable.Range(0, count).Select(i => new NewEvent(
            $"sites/ünï-{i % 7}/✓", $"type-{i}", Encoding.UTF8.GetBytes($$"""{"i":{{i}},"s":"žluť"}"""))
        {
            Source = i % 3 == 0 ? null : $"source-{i}",
            Time = i % 2 == 0 ? null : DateTimeOffset.UnixEpoch.AddSeconds(i),
        }).ToArray();

        var stored = await store.AppendAsync(events, None).Within();
        var read = await store.ReadAsync(Events.Query(0, 1000), None).Within();

        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), stored.Select(e => e.Id));
        Assert.Equal(count, read.Events.Count);
        for (var i = 0; i < count; i++)
        {
            var e = read.Events[i];
            Assert.Equal(stored[i].Id, e.Id);
            Assert.Equal(events[i].Topic, e.Topic);
            Assert.Equal(events[i].Type, e.Type);
            Assert.Equal(events[i].Source, e.Source);
            Assert.Equal(stored[i].Time, e.Time);
            Assert.Equal(events[i].Data.ToArray(), e.Data.ToArray());
        }
    }

    [Fact]
    public async Task GetReturnsNullForMissingIds()
    {
        await using var store = await Events.OpenAsync(_dir.Options());
        await store.AppendAsync(Events.Batch("a", 2), None).Within();

        Assert.NotNull(await store.GetAsync(2, None).Within());
        Assert.Null(await store.GetAsync(3, None).Within());
        Assert.Null(await store.GetAsync(0, None).Within());
    }

    [Fact]
    public async Task EmptyStoreHasZeroBoundsAndReadsReachTheEnd()
    {
        await using var store = await Events.OpenAsync(_dir.Options());

        Assert.Equal(new EventStoreBounds(0, 0), await store.GetBoundsAsync(None).Within());
        var page = await store.ReadAsync(Events.Query(0, 10, "a"), None).Within();
        Assert.Empty(page.Events);
        Assert.Equal(0, page.ScannedThroughId);
        Assert.True(page.ReachedEnd);
    }

    [Fact]
    public async Task ExactAndWildcardFiltersSelectTheSameWayAsTopicFilter()
    {
        await using var store = await Events.OpenAsync(_dir.Options());
        await store.AppendAsync(
            [Events.On("cameras/front"), Events.On("cameras/back"), Events.On("doors/front"), Events.On("cameras/front/zoom"), Events.On("cameras")],
            None).Within();

        async Task<long[]> Ids(params string[] filters)
            => (await store.ReadAsync(Events.Query(0, 100, filters), None).Within()).Events.Select(e => e.Id).ToArray();

        Assert.Equal(new long[] { 1, 3 }, await Ids("cameras/front", "doors/front"));
        Assert.Equal(new long[] { 1, 3 }, await Ids("doors/front", "cameras/front", "cameras/front"));
        Assert.Equal(new long[] { 1, 2 }, await Ids("cameras/+"));
        Assert.Equal(new long[] { 1, 2, 4, 5 }, await Ids("cameras/#"));
        Assert.Equal(new long[] { 1, 3 }, await Ids("+/front"));
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, await Ids("#"));
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, await Ids());
        Assert.Equal(new long[] { 3, 5 }, await Ids("cameras", "doors/+"));
        Assert.Empty(await Ids("nothing/here"));
    }

    [Fact]
    public async Task PagingStopsAtTheLimitAndReportsWhereItStopped()
    {
        await using var store = await Events.OpenAsync(_dir.Options());
        await store.AppendAsync(Events.Batch("a", 10), None).Within();

        var first = await store.ReadAsync(Events.Query(0, 4), None).Within();
        Assert.Equal([1L, 2, 3, 4], first.Events.Select(e => e.Id));
        Assert.Equal(4, first.ScannedThroughId);
        Assert.False(first.ReachedEnd);

        var exact = await store.ReadAsync(Events.Query(6, 4, "a"), None).Within();
        Assert.Equal([7L, 8, 9, 10], exact.Events.Select(e => e.Id));
        Assert.Equal(10, exact.ScannedThroughId);
        Assert.True(exact.ReachedEnd);

        var wildcard = await store.ReadAsync(Events.Query(8, 2, "+"), None).Within();
        Assert.Equal([9L, 10], wildcard.Events.Select(e => e.Id));
        Assert.True(wildcard.ReachedEnd);
    }

    [Theory]
    [InlineData("b/+")]
    [InlineData("b/x")]
    public async Task SparseTopicPagesToTheEndWithoutOneCallScanningEverything(string filter)
    {
        await using var store = await Events.OpenAsync(_dir.Options());
        await store.AppendAsync([Events.On("b/x", 0)], None).Within();
        await store.AppendAsync(Events.Batch("a", 5_000), None).Within();
        await store.AppendAsync([Events.On("b/x", 1)], None).Within();
        await store.AppendAsync(Events.Batch("a", 5_000), None).Within();
        await store.AppendAsync([Events.On("b/x", 2)], None).Within();

        var found = new List<long>();
        var after = 0L;
        var calls = 0;
        const int limit = 10;
        while (true)
        {
            var page = await store.ReadAsync(Events.Query(after, limit, filter), None).Within();
            calls++;
            Assert.True(page.ScannedThroughId >= after);
            if (filter == "b/+")
            {
                // A wildcard filter scans rows; an exact one seeks the topic index, so only the scan is bounded by ids.
                Assert.True(page.ScannedThroughId - after <= Math.Max(limit * 16, 4096), "one call scanned more than its bound");
            }

            found.AddRange(page.Events.Select(e => e.Id));
            after = page.ScannedThroughId;
            if (page.ReachedEnd)
            {
                break;
            }

            Assert.True(calls < 100, "paging did not reach the end");
        }

        Assert.Equal([1L, 5_002, 10_003], found);
        Assert.Equal(10_003, after);
        if (filter == "b/+")
        {
            Assert.True(calls >= 3, $"expected the scan to be split over several calls, got {calls}");
        }
        else
        {
            Assert.Equal(1, calls);
        }
    }

    [Fact]
    public async Task ExactFilterPagingAcrossSeveralTopicsKeepsIdOrder()
    {
        await using var store = await Events.OpenAsync(_dir.Options());
        for (var i = 0; i < 20; i++)
        {
            await store.AppendAsync([Events.On("x", i), Events.On("y", i), Events.On("z", i)], None).Within();
        }

        var ids = new List<long>();
        var after = 0L;
        EventPage page;
        do
        {
            page = await store.ReadAsync(Events.Query(after, 7, "z", "x"), None).Within();
            ids.AddRange(page.Events.Select(e => e.Id));
            after = page.ScannedThroughId;
        }
        while (!page.ReachedEnd);

        var expected = Enumerable.Range(0, 20).SelectMany(i => new long[] { (i * 3) + 1, (i * 3) + 3 }).ToArray();
        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task HundredThousandEventsAppendInBatchesAndReadBackInOrder()
    {
        await using var store = await Events.OpenAsync(_dir.Options());
        const int total = 100_000;
        const int batch = 1_000;
        for (var start = 0; start < total; start += batch)
        {
            var stored = await store.AppendAsync(Events.Batch("load/" + (start % 7), batch, start), None).Within();
            Assert.Equal(start + 1, stored[0].Id);
            Assert.Equal(start + batch, stored[^1].Id);
        }

        var next = 1L;
        var after = 0L;
        EventPage page;
        do
        {
            page = await store.ReadAsync(Events.Query(after, 2_000, "#"), None).Within();
            foreach (var e in page.Events)
            {
                Assert.Equal(next++, e.Id);
            }

            after = page.ScannedThroughId;
        }
        while (!page.ReachedEnd);

        Assert.Equal(total + 1, next);
        Assert.Equal(new EventStoreBounds(1, total), await store.GetBoundsAsync(None).Within());
    }

    [Fact]
    public async Task ConcurrentReadersSeeAContiguousPrefixWhileAppending()
    {
        await using var store = await Events.OpenAsync(_dir.Options());
        const int batches = 200;
        const int batchSize = 50;
        using var writerDone = new CancellationTokenSource();

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < batches; i++)
            {
                await store.AppendAsync(Events.Batch("t/" + (i % 3), batchSize, i * batchSize), None);
            }

            await writerDone.CancelAsync();
        });

        async Task<long> ReadUntilDoneAsync()
        {
            var after = 0L;
            while (true)
            {
                var done = writerDone.IsCancellationRequested;
                var page = await store.ReadAsync(Events.Query(after, 300, "#"), None);
                for (var i = 0; i < page.Events.Count; i++)
                {
                    Assert.Equal(after + 1 + i, page.Events[i].Id);
                }

                after = page.ScannedThroughId;
                if (done && page.ReachedEnd)
                {
                    return after;
                }
            }
        }

        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(ReadUntilDoneAsync)).ToArray();
        await writer.Within();
        var seen = await Task.WhenAll(readers).Within();

        Assert.All(seen, last => Assert.Equal(batches * batchSize, last));
    }

    [Fact]
    public async Task CancelledAppendStoresNothingAndIdsStayContiguous()
    {
        await using var store = await Events.OpenAsync(_dir.Options());
        await store.AppendAsync(Events.Batch("a", 2), None).Within();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.AppendAsync(Events.Batch("a", 3), cancelled.Token).Within());
        var next = await store.AppendAsync(Events.Batch("a", 1), None).Within();

        Assert.Equal(3, next[0].Id);
        Assert.Equal(new EventStoreBounds(1, 3), await store.GetBoundsAsync(None).Within());
    }

    [Fact]
    public async Task RestartKeepsEventsAndContinuesIds()
    {
        var options = _dir.Options();
        await using (var store = await Events.OpenAsync(options))
        {
            await store.AppendAsync(Events.Batch("a", 5), None).Within();
        }

        await using (var reopened = await Events.OpenAsync(options))
        {
            Assert.Equal(new EventStoreBounds(1, 5), await reopened.GetBoundsAsync(None).Within());
            var page = await reopened.ReadAsync(Events.Query(0, 100), None).Within();
            Assert.Equal([1L, 2, 3, 4, 5], page.Events.Select(e => e.Id));

            var more = await reopened.AppendAsync(Events.Batch("a", 3), None).Within();
            Assert.Equal([6L, 7, 8], more.Select(e => e.Id));
        }
    }

    [Fact]
    public async Task AppendAfterDisposeIsUnavailable()
    {
        var store = await Events.OpenAsync(_dir.Options());
        await store.DisposeAsync().Within();

        await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.AppendAsync(Events.Batch("a", 1), None).Within());
    }

    [Fact]
    public async Task UseBeforeInitializeIsAProgrammingError()
    {
        await using var store = new SqliteEventStore(_dir.Options());

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.AppendAsync(Events.Batch("a", 1), None).Within());
    }

    [Fact]
    public async Task FirstRunCreatesTheDataDirectoryWithWalMode()
    {
        Assert.False(Directory.Exists(Path.GetDirectoryName(_dir.DatabasePath)));
        await using var store = await Events.OpenAsync(_dir.Options());
        await store.AppendAsync(Events.Batch("a", 1), None).Within();

        Assert.True(File.Exists(_dir.DatabasePath));
        Assert.True(File.Exists(_dir.DatabasePath + "-wal"));
        Assert.Equal(Path.GetFullPath(_dir.DatabasePath), store.DatabasePath);
    }
}
