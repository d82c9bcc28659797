using System.Text;
using Xunit;

namespace Herald.Testing.Contracts;

/// <summary>
/// What every <see cref="IEventStore"/> must do (the rules on its documentation page). A store's test project
/// derives from this class once per implementation: memory, SQLite, and any shared log.
/// </summary>
public abstract class EventStoreContract
{
    /// <summary>Creates an empty, initialized store; the test disposes it.</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    /// <summary>
    /// A second store instance over the same log as <paramref name="first"/>, as another node would open it, or
    /// the same instance when the log lives in one process. The test disposes what it gets, after <paramref name="first"/>.
    /// </summary>
    protected virtual Task<IEventStore> OpenSecondWriterAsync(IEventStore first) => Task.FromResult(first);

    protected static NewEvent Event(string topic, int n) => new(topic, "tick", Encoding.UTF8.GetBytes($"{{\"n\":{n}}}"));

    protected static NewEvent Keyed(string topic, int n, string key) => new(topic, "tick", Encoding.UTF8.GetBytes($"{{\"n\":{n}}}")) { IdempotencyKey = key };

    [Fact]
    public async Task AppendAssignsIncreasingIdsInPublishOrder()
    {
        await using var store = await CreateStoreAsync();

        var first = await store.AppendAsync([Event("a", 1), Event("a", 2)], CancellationToken.None);
        var second = await store.AppendAsync([Event("b", 3)], CancellationToken.None);

        Assert.True(first[0].Id > 0);
        Assert.True(first[1].Id > first[0].Id);
        Assert.True(second[0].Id > first[1].Id);
        Assert.Equal(["{\"n\":1}", "{\"n\":2}"], first.Select(e => Encoding.UTF8.GetString(e.Data.Span)));
    }

    [Fact]
    public async Task AppendedEventsCarryTheTimeTheLogAcceptedThem()
    {
        await using var store = await CreateStoreAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        var stored = await store.AppendAsync([Event("a", 1)], CancellationToken.None);

        var storedAt = stored[0].StoredAt;
        Assert.NotNull(storedAt);
        Assert.InRange(storedAt.Value, before, DateTimeOffset.UtcNow.AddSeconds(5));
    }

    [Fact]
    public async Task AnEventReadBackHasEveryFieldAsPublished()
    {
        await using var store = await CreateStoreAsync();
        var time = new DateTimeOffset(2026, 1, 25, 3, 54, 30, 123, TimeSpan.Zero);
        var published = new NewEvent("cameras/front", "motion", "{\"score\":0.93}"u8.ToArray()) { Time = time, Source = "pipeline" };

        var id = (await store.AppendAsync([published], CancellationToken.None))[0].Id;
        var read = await store.GetAsync(id, CancellationToken.None);
        Assert.NotNull(read);

        Assert.Equal(("cameras/front", "motion", time, "pipeline", "{\"score\":0.93}"), (read.Topic, read.Type, read.Time, read.Source, Encoding.UTF8.GetString(read.Data.Span)));
    }

    public static TheoryData<string> TopicsWithAwkwardCharacters() =>
    [
        "a.b/c*d/e>f",
        "$sys/ü/日本/emoji-😀",
        "a/b%2Fc/~!@$&'()=;:,",
        "x/" + new string('y', TopicName.MaxLength - 2),
    ];

    [Theory]
    [MemberData(nameof(TopicsWithAwkwardCharacters))]
    public async Task TopicsAreStoredExactlyAsPublishedAndFoundByExactAndWildcardPatterns(string topic)
    {
        await using var store = await CreateStoreAsync();
        await store.AppendAsync([Event("other/topic", 0), Event(topic, 1)], CancellationToken.None);
        var first = topic.Split('/')[0];

        foreach (var pattern in new[] { topic, first + "/#", "#" })
        {
            var page = await store.ReadAsync(new EventQuery(0, 10, [TopicFilter.Parse(pattern)]), CancellationToken.None);
            Assert.Contains(page.Events, e => e.Topic == topic);
        }
    }

    [Fact]
    public async Task APatternEndingInHashMatchesTheTopicAboveItToo()
    {
        await using var store = await CreateStoreAsync();
        await store.AppendAsync([Event("a", 1), Event("a/b", 2), Event("ab", 3), Event("b/a", 4)], CancellationToken.None);

        var page = await store.ReadAsync(new EventQuery(0, 10, [TopicFilter.Parse("a/#")]), CancellationToken.None);

        Assert.Equal(["a", "a/b"], page.Events.Select(e => e.Topic));
    }

    [Fact]
    public async Task ReadingPagesThroughASparseTopicReachesTheEnd()
    {
        await using var store = await CreateStoreAsync();
        for (var i = 0; i < 20; i++)
        {
            await store.AppendAsync([.. Enumerable.Range(0, 500).Select(n => Event("busy", n)), Event("rare/" + i, i)], CancellationToken.None);
        }

        var found = new List<HeraldEvent>();
        var cursor = 0L;
        EventPage page;
        var reads = 0;
        do
        {
            page = await store.ReadAsync(new EventQuery(cursor, 100, [TopicFilter.Parse("rare/+")]), CancellationToken.None);
            found.AddRange(page.Events);
            Assert.True(page.ScannedThroughId >= cursor);
            cursor = page.ScannedThroughId;
            Assert.True(++reads < 1000, "the pages never reached the end");
        }
        while (!page.ReachedEnd);

        Assert.Equal(20, found.Count);
        Assert.Equal(found.OrderBy(e => e.Id), found);
    }

    [Fact]
    public async Task AnEventWhoseKeyWasStoredIsAnsweredWithItsIdAndNotStoredAgain()
    {
        await using var store = await CreateStoreAsync();
        using var stop = new CancellationTokenSource(Timeouts.Default);
        var followed = Collect(store.FollowAsync(0, stop.Token), 3);

        var first = await store.AppendAsync([Keyed("a", 1, "k1")], CancellationToken.None);
        var retry = await store.AppendAsync([Keyed("a", 1, "k1"), Event("b", 2), Keyed("c", 3, "k2"), Keyed("c", 3, "k2")], CancellationToken.None);

        Assert.Equal(first[0].Id, retry[0].Id);
        Assert.True(retry[1].Id > first[0].Id);
        Assert.Equal(retry[2].Id, retry[3].Id);
        var page = await store.ReadAsync(new EventQuery(0, 10, []), CancellationToken.None);
        Assert.Equal(["a", "b", "c"], page.Events.Select(e => e.Topic));
        Assert.Equal(page.Events.Select(e => e.Id), (await followed.WithTimeout()).Select(e => e.Id));
    }

    [Fact]
    public async Task ReadingAfterTheLargestIdReturnsNothing()
    {
        await using var store = await CreateStoreAsync();
        await store.AppendAsync([Event("a", 1)], CancellationToken.None);

        var page = await store.ReadAsync(new EventQuery(long.MaxValue, 10, []), CancellationToken.None);

        Assert.Empty(page.Events);
        Assert.True(page.ReachedEnd);
    }

    [Fact]
    public async Task BoundsNameTheOldestAndNewestIds()
    {
        await using var store = await CreateStoreAsync();
        Assert.Equal(new EventStoreBounds(0, 0), await store.GetBoundsAsync(CancellationToken.None));

        var stored = await store.AppendAsync([Event("a", 1), Event("a", 2)], CancellationToken.None);

        Assert.Equal(new EventStoreBounds(stored[0].Id, stored[1].Id), await store.GetBoundsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetOfAMissingIdReturnsNull()
    {
        await using var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync(12345, CancellationToken.None));
    }

    [Fact]
    public async Task FollowYieldsWhatIsStoredThenEachEventAsItCommits()
    {
        await using var store = await CreateStoreAsync();
        var early = await store.AppendAsync([Event("a", 1), Event("a", 2)], CancellationToken.None);
        using var stop = new CancellationTokenSource(Timeouts.Default);
        var followed = Collect(store.FollowAsync(0, stop.Token), 4);

        var late = await store.AppendAsync([Event("b", 3), Event("b", 4)], CancellationToken.None);

        Assert.Equal([.. early.Select(e => e.Id), .. late.Select(e => e.Id)], (await followed.WithTimeout()).Select(e => e.Id));
    }

    [Fact]
    public async Task FollowStartsAfterTheIdItIsGiven()
    {
        await using var store = await CreateStoreAsync();
        var stored = await store.AppendAsync([Event("a", 1), Event("a", 2), Event("a", 3)], CancellationToken.None);
        using var stop = new CancellationTokenSource(Timeouts.Default);

        var followed = await Collect(store.FollowAsync(stored[0].Id, stop.Token), 2).WithTimeout();

        Assert.Equal(stored.Skip(1).Select(e => e.Id), followed.Select(e => e.Id));
    }

    [Fact]
    public async Task LiveEventsFromTheFeedCarryTheirStoredTime()
    {
        await using var store = await CreateStoreAsync();
        using var stop = new CancellationTokenSource(Timeouts.Default);
        await using var feed = store.FollowAsync(0, stop.Token).GetAsyncEnumerator(stop.Token);
        var next = feed.MoveNextAsync().AsTask();

        await store.AppendAsync([Event("a", 1)], CancellationToken.None);

        Assert.True(await next.WithTimeout());
        Assert.NotNull(feed.Current.StoredAt);
    }

    [Fact]
    public async Task AFollowerThatFallsFarBehindStillGetsEveryEventOnceInOrder()
    {
        await using var store = await CreateStoreAsync();
        using var stop = new CancellationTokenSource(Timeouts.Long);
        await using var feed = store.FollowAsync(0, stop.Token).GetAsyncEnumerator(stop.Token);
        var ids = new List<long>();

        // Take one event so the follower is live, then commit far more batches than any buffer holds before reading on.
        var first = await store.AppendAsync([Event("a", 0)], CancellationToken.None);
        Assert.True(await feed.MoveNextAsync());
        ids.Add(feed.Current.Id);
        var appended = new List<long> { first[0].Id };
        for (var batch = 0; batch < 300; batch++)
        {
            appended.AddRange((await store.AppendAsync([Event("a", batch * 2), Event("b", (batch * 2) + 1)], CancellationToken.None)).Select(e => e.Id));
        }

        while (ids.Count < appended.Count && await feed.MoveNextAsync())
        {
            ids.Add(feed.Current.Id);
        }

        Assert.Equal(appended, ids);
    }

    [Fact]
    public async Task EveryFollowerGetsEveryEvent()
    {
        await using var store = await CreateStoreAsync();
        using var stop = new CancellationTokenSource(Timeouts.Default);
        var one = Collect(store.FollowAsync(0, stop.Token), 10);
        var two = Collect(store.FollowAsync(0, stop.Token), 10);

        for (var i = 0; i < 10; i++)
        {
            await store.AppendAsync([Event("a", i)], CancellationToken.None);
        }

        Assert.Equal((await one.WithTimeout()).Select(e => e.Id), (await two.WithTimeout()).Select(e => e.Id));
    }

    [Fact]
    public async Task ConcurrentWritersGetDistinctIdsAndTheFeedYieldsThemInIdOrder()
    {
        var store = await CreateStoreAsync();
        var second = await OpenSecondWriterAsync(store);
        try
        {
            using var stop = new CancellationTokenSource(Timeouts.Long);
            var followed = Collect(store.FollowAsync(0, stop.Token), 400);

            async Task<List<long>> WriteAsync(IEventStore writer, string topic)
            {
                var ids = new List<long>();
                for (var i = 0; i < 100; i++)
                {
                    ids.AddRange((await writer.AppendAsync([Event(topic, i), Event(topic, i)], CancellationToken.None)).Select(e => e.Id));
                }

                return ids;
            }

            var written = await Task.WhenAll(Task.Run(() => WriteAsync(store, "one")), Task.Run(() => WriteAsync(second, "two")));
            var all = written.SelectMany(ids => ids).ToList();
            var seen = (await followed.WithTimeout(Timeouts.Long)).Select(e => e.Id).ToList();

            Assert.Equal(400, all.Distinct().Count());
            Assert.Equal(all.Order(), seen);
        }
        finally
        {
            await store.DisposeAsync();
            if (!ReferenceEquals(second, store))
            {
                await second.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task FollowEndsWithCancellationWhenItsTokenIsCancelled()
    {
        await using var store = await CreateStoreAsync();
        using var stop = new CancellationTokenSource();
        var followed = Collect(store.FollowAsync(0, stop.Token), 1);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => followed.WithTimeout());
    }

    protected static async Task<List<HeraldEvent>> Collect(IAsyncEnumerable<HeraldEvent> feed, int count)
    {
        var events = new List<HeraldEvent>();
        await foreach (var e in feed)
        {
            events.Add(e);
            if (events.Count == count)
            {
                break;
            }
        }

        return events;
    }
}
