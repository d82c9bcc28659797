using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Herald.Testing.Contracts;

/// <summary>
/// What every <see cref="ISessionStore"/> must do (the rules on its documentation page). A store's test project
/// derives from this class once per implementation: memory, SQLite, and any shared store.
/// </summary>
public abstract class SessionStoreContract
{
    protected static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Creates an empty, initialized store; the test disposes it.</summary>
    protected abstract Task<ISessionStore> CreateStoreAsync();

    /// <summary>
    /// A second store instance over the same sessions as <paramref name="first"/>, as another node would open it, or
    /// the same instance when the store lives in one process. The test disposes what it gets, after <paramref name="first"/>.
    /// </summary>
    protected virtual Task<ISessionStore> OpenSecondAsync(ISessionStore first) => Task.FromResult(first);

    protected static SessionRecord Record(string id, SessionAttachment? attachment = null, DateTimeOffset? awaySince = null)
        => new()
        {
            Id = id,
            TokenHash = SHA256.HashData(Encoding.UTF8.GetBytes("token-" + id)),
            Attachment = attachment,
            CreatedAt = Now,
            AwaySince = awaySince ?? Now,
        };

    protected static ReadOnlyMemory<byte> Body(int n) => Encoding.UTF8.GetBytes($"{{\"n\":{n}}}");

    [Fact]
    public async Task AnUnknownSessionHasNoRecord()
    {
        await using var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync("nobody", CancellationToken.None));
    }

    [Fact]
    public async Task ARecordReadBackHasEveryFieldAsWritten()
    {
        await using var store = await CreateStoreAsync();
        var record = Record("s1", new SessionAttachment("node-a", "c1", Now.AddSeconds(1))) with
        {
            Owner = "user-42",
            PreviousTokenHash = SHA256.HashData("old"u8),
            AwaySince = Now.AddSeconds(-3),
        };

        var stored = await store.TryWriteAsync(record, 0, CancellationToken.None);
        Assert.NotNull(stored);
        var read = await store.GetAsync("s1", CancellationToken.None);
        Assert.NotNull(read);

        Assert.True(stored.Revision > 0);
        Assert.Equal(stored.Revision, read.Revision);
        Assert.Equal((record.Id, record.Owner, record.Attachment, record.CreatedAt, record.AwaySince), (read.Id, read.Owner, read.Attachment, read.CreatedAt, read.AwaySince));
        Assert.Equal(record.TokenHash.ToArray(), read.TokenHash.ToArray());
        Assert.Equal(record.PreviousTokenHash.ToArray(), read.PreviousTokenHash.ToArray());
    }

    [Fact]
    public async Task CreatingFailsWhenARecordExists()
    {
        await using var store = await CreateStoreAsync();
        Assert.NotNull(await store.TryWriteAsync(Record("s1"), 0, CancellationToken.None));

        Assert.Null(await store.TryWriteAsync(Record("s1") with { Owner = "intruder" }, 0, CancellationToken.None));
        Assert.Null((await store.GetAsync("s1", CancellationToken.None))!.Owner);
    }

    [Fact]
    public async Task AWriteSucceedsOnlyAgainstTheRevisionItRead()
    {
        await using var store = await CreateStoreAsync();
        var created = (await store.TryWriteAsync(Record("s1"), 0, CancellationToken.None))!;

        var updated = await store.TryWriteAsync(created with { Owner = "a" }, created.Revision, CancellationToken.None);
        var stale = await store.TryWriteAsync(created with { Owner = "b" }, created.Revision, CancellationToken.None);

        Assert.NotNull(updated);
        Assert.True(updated.Revision > created.Revision);
        Assert.Null(stale);
        Assert.Equal("a", (await store.GetAsync("s1", CancellationToken.None))!.Owner);
    }

    [Fact]
    public async Task ARecordCreatedAgainAfterADeleteHasAGreaterRevision()
    {
        await using var store = await CreateStoreAsync();
        var first = (await store.TryWriteAsync(Record("s1"), 0, CancellationToken.None))!;
        first = (await store.TryWriteAsync(first with { Owner = "a" }, first.Revision, CancellationToken.None))!;
        Assert.True(await store.TryDeleteAsync("s1", first.Revision, CancellationToken.None));

        var again = await store.TryWriteAsync(Record("s1"), 0, CancellationToken.None);

        Assert.NotNull(again);
        Assert.True(again.Revision > first.Revision);
    }

    [Fact]
    public async Task OfWritersRacingFromOneRevisionExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        var second = await OpenSecondAsync(store);
        try
        {
            for (var round = 0; round < 20; round++)
            {
                var created = (await store.TryWriteAsync(Record("race" + round), 0, CancellationToken.None))!;
                var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
                    await (i % 2 == 0 ? store : second).TryWriteAsync(created with { Owner = "w" + i }, created.Revision, CancellationToken.None))));

                var winner = Assert.Single(attempts, a => a is not null);
                Assert.Equal(winner!.Owner, (await second.GetAsync("race" + round, CancellationToken.None))!.Owner);
            }
        }
        finally
        {
            await DisposeBothAsync(store, second);
        }
    }

    [Fact]
    public async Task QueuedMessagesAreReadOldestFirstAfterASequence()
    {
        await using var store = await CreateStoreAsync();
        await store.TryWriteAsync(Record("s1"), 0, CancellationToken.None);

        var results = new List<SessionEnqueueResult>();
        for (var i = 1; i <= 5; i++)
        {
            results.Add(await store.EnqueueAsync("s1", Now.AddSeconds(i), Body(i), 100, CancellationToken.None));
        }

        var all = await store.ReadQueueAsync("s1", 0, 100, CancellationToken.None);
        var after = await store.ReadQueueAsync("s1", results[1].Sequence, 2, CancellationToken.None);

        Assert.Equal(results.Select(r => r.Sequence), all.Select(m => m.Sequence));
        Assert.Equal(results.Select(r => r.Sequence).Order(), all.Select(m => m.Sequence));
        Assert.Equal(["{\"n\":3}", "{\"n\":4}"], after.Select(m => Encoding.UTF8.GetString(m.Data.Span)));
        Assert.Equal(Now.AddSeconds(3), after[0].Time);
    }

    [Fact]
    public async Task AFullMailboxDropsItsOldestMessagesAndEachEnqueueSaysHowManyAreQueued()
    {
        await using var store = await CreateStoreAsync();
        await store.TryWriteAsync(Record("s1"), 0, CancellationToken.None);
        for (var i = 1; i <= 3; i++)
        {
            var queued = await store.EnqueueAsync("s1", Now, Body(i), 3, CancellationToken.None);
            Assert.Equal(0, queued.Dropped);
            Assert.Equal(i, queued.Queued);
        }

        var fourth = await store.EnqueueAsync("s1", Now, Body(4), 3, CancellationToken.None);
        var elsewhere = await store.EnqueueAsync("s2", Now, Body(5), 3, CancellationToken.None);

        Assert.Equal(1, fourth.Dropped);
        Assert.Equal(3, fourth.Queued);
        Assert.Equal(1, elsewhere.Queued);
        Assert.Equal(["{\"n\":2}", "{\"n\":3}", "{\"n\":4}"], (await store.ReadQueueAsync("s1", 0, 10, CancellationToken.None)).Select(m => Encoding.UTF8.GetString(m.Data.Span)));
    }

    [Fact]
    public async Task EnqueuesRacingOnAFullMailboxLeaveExactlyItsNewestMessages()
    {
        await using var store = await CreateStoreAsync();
        await store.TryWriteAsync(Record("s1"), 0, CancellationToken.None);
        for (var i = 1; i <= 3; i++)
        {
            await store.EnqueueAsync("s1", Now, Body(i), 3, CancellationToken.None);
        }

        var racing = await Task.WhenAll(Enumerable.Range(4, 30).Select(i => Task.Run(async () => await store.EnqueueAsync("s1", Now, Body(i), 3, CancellationToken.None))));

        var newest = racing.Select(r => r.Sequence).Order().TakeLast(3);
        Assert.Equal(newest, (await store.ReadQueueAsync("s1", 0, 100, CancellationToken.None)).Select(m => m.Sequence));
        Assert.All(racing, r => Assert.InRange(r.Queued, 0, 3));
    }

    [Fact]
    public async Task RemovingQueuedMessagesRemovesThroughTheGivenSequence()
    {
        await using var store = await CreateStoreAsync();
        await store.TryWriteAsync(Record("s1"), 0, CancellationToken.None);
        var sequences = new List<long>();
        for (var i = 1; i <= 4; i++)
        {
            sequences.Add((await store.EnqueueAsync("s1", Now, Body(i), 100, CancellationToken.None)).Sequence);
        }

        await store.RemoveQueuedAsync("s1", sequences[1], CancellationToken.None);

        Assert.Equal(sequences.Skip(2), (await store.ReadQueueAsync("s1", 0, 10, CancellationToken.None)).Select(m => m.Sequence));
    }

    [Fact]
    public async Task MailboxesOfDifferentSessionsAreSeparate()
    {
        await using var store = await CreateStoreAsync();
        await store.EnqueueAsync("s1", Now, Body(1), 100, CancellationToken.None);
        await store.EnqueueAsync("s2", Now, Body(2), 100, CancellationToken.None);

        Assert.Equal("{\"n\":2}", Encoding.UTF8.GetString(Assert.Single(await store.ReadQueueAsync("s2", 0, 10, CancellationToken.None)).Data.Span));
    }

    [Fact]
    public async Task CreatingARecordEmptiesAMailboxLeftUnderItsId()
    {
        await using var store = await CreateStoreAsync();
        await store.EnqueueAsync("s1", Now, Body(1), 100, CancellationToken.None);

        await store.TryWriteAsync(Record("s1"), 0, CancellationToken.None);

        Assert.Empty(await store.ReadQueueAsync("s1", 0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task DeletingARecordDeletesItsMailboxAndHonoursTheRevision()
    {
        await using var store = await CreateStoreAsync();
        var created = (await store.TryWriteAsync(Record("s1"), 0, CancellationToken.None))!;
        await store.EnqueueAsync("s1", Now, Body(1), 100, CancellationToken.None);

        Assert.False(await store.TryDeleteAsync("s1", created.Revision + 1000, CancellationToken.None));
        Assert.True(await store.TryDeleteAsync("s1", created.Revision, CancellationToken.None));
        Assert.False(await store.TryDeleteAsync("s1", null, CancellationToken.None));

        Assert.Null(await store.GetAsync("s1", CancellationToken.None));
        Assert.Empty(await store.ReadQueueAsync("s1", 0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task ReleasingANodeMarksOnlyItsSessionsAway()
    {
        await using var store = await CreateStoreAsync();
        await store.TryWriteAsync(Record("on-a", new SessionAttachment("node-a", "c1", Now)), 0, CancellationToken.None);
        await store.TryWriteAsync(Record("on-b", new SessionAttachment("node-b", "c2", Now)), 0, CancellationToken.None);
        await store.TryWriteAsync(Record("away"), 0, CancellationToken.None);
        var released = Now.AddMinutes(5);

        Assert.Equal(1, await store.ReleaseNodeAsync("node-a", released, CancellationToken.None));

        var onA = (await store.GetAsync("on-a", CancellationToken.None))!;
        Assert.Null(onA.Attachment);
        Assert.Equal(released, onA.AwaySince);
        Assert.NotNull((await store.GetAsync("on-b", CancellationToken.None))!.Attachment);
    }

    [Fact]
    public async Task SweepingRemovesExpiredSessionsOldMessagesAndOrphanedMailboxes()
    {
        await using var store = await CreateStoreAsync();
        await store.TryWriteAsync(Record("expired", awaySince: Now.AddMinutes(-10)), 0, CancellationToken.None);
        await store.TryWriteAsync(Record("attached", new SessionAttachment("node-a", "c1", Now.AddMinutes(-10)), Now.AddMinutes(-10)), 0, CancellationToken.None);
        await store.TryWriteAsync(Record("recent", awaySince: Now), 0, CancellationToken.None);
        await store.EnqueueAsync("expired", Now, Body(1), 100, CancellationToken.None);
        await store.EnqueueAsync("recent", Now.AddMinutes(-10), Body(2), 100, CancellationToken.None);
        var kept = await store.EnqueueAsync("recent", Now, Body(3), 100, CancellationToken.None);
        await store.EnqueueAsync("orphan", Now, Body(4), 100, CancellationToken.None);

        var removed = await store.RemoveExpiredAsync(Now.AddMinutes(-2), Now.AddMinutes(-2), CancellationToken.None);

        Assert.Equal(4, removed);
        Assert.Null(await store.GetAsync("expired", CancellationToken.None));
        Assert.NotNull(await store.GetAsync("attached", CancellationToken.None));
        Assert.Equal(kept.Sequence, Assert.Single(await store.ReadQueueAsync("recent", 0, 10, CancellationToken.None)).Sequence);
        Assert.Empty(await store.ReadQueueAsync("orphan", 0, 10, CancellationToken.None));
        Assert.Empty(await store.ReadQueueAsync("expired", 0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task WatchersSeeWritesQueuedMessagesAndDeletesInOrder()
    {
        await using var store = await CreateStoreAsync();
        using var stop = new CancellationTokenSource(Timeouts.Default);
        await using var watch = store.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var first = watch.MoveNextAsync().AsTask();

        var created = (await store.TryWriteAsync(Record("s1"), 0, CancellationToken.None))!;
        await store.EnqueueAsync("s1", Now, Body(1), 100, CancellationToken.None);
        await store.TryDeleteAsync("s1", null, CancellationToken.None);

        var changes = new List<SessionChange>();
        Assert.True(await first.WithTimeout());
        changes.Add(watch.Current);
        while (changes.Count < 3 && await watch.MoveNextAsync().AsTask().WithTimeout())
        {
            changes.Add(watch.Current);
        }

        Assert.Equal([SessionChangeKind.Written, SessionChangeKind.MessageQueued, SessionChangeKind.Deleted], changes.Select(c => c.Kind));
        Assert.All(changes, c => Assert.Equal("s1", c.SessionId));
        Assert.Equal(created.Revision, changes[0].Record!.Revision);
        Assert.Equal(created.Revision, changes[2].Record!.Revision);
    }

    [Fact]
    public async Task AWatcherSeesChangesMadeThroughAnotherInstance()
    {
        var store = await CreateStoreAsync();
        var second = await OpenSecondAsync(store);
        try
        {
            using var stop = new CancellationTokenSource(Timeouts.Default);
            await using var watch = store.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);
            var next = watch.MoveNextAsync().AsTask();

            await second.EnqueueAsync("s9", Now, Body(1), 100, CancellationToken.None);

            Assert.True(await next.WithTimeout());
            Assert.Equal(new SessionChange(SessionChangeKind.MessageQueued, "s9"), watch.Current);
        }
        finally
        {
            await DisposeBothAsync(store, second);
        }
    }

    [Fact]
    public async Task WatchEndsWithCancellationWhenItsTokenIsCancelled()
    {
        await using var store = await CreateStoreAsync();
        using var stop = new CancellationTokenSource();
        await using var watch = store.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var next = watch.MoveNextAsync().AsTask();

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WithTimeout());
    }

    private static async Task DisposeBothAsync(ISessionStore store, ISessionStore second)
    {
        await store.DisposeAsync();
        if (!ReferenceEquals(second, store))
        {
            await second.DisposeAsync();
        }
    }
}
