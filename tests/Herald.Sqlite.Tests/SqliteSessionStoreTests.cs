using System.Text;
using Herald.Sqlite.Internal;

namespace Herald.Sqlite.Tests;

public sealed class SqliteSessionStoreTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task MessagesComeBackInFifoOrderAndTakeAllRemovesThem()
    {
        await using var store = await OpenAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, await store.EnqueueAsync("s1", Message("s1", i), 10, None).Within());
        }

        await store.EnqueueAsync("s2", Message("s2", 9), 10, None).Within();

        Assert.True(await store.HasMessagesAsync("s1", None).Within());
        var taken = await store.TakeAllAsync("s1", None).Within();
        Assert.Equal(["0", "1", "2"], taken.Select(Body));
        Assert.All(taken, m => Assert.Equal("s1", m.SessionId));
        Assert.Equal(Start.AddSeconds(1), taken[1].Time);
        Assert.False(await store.HasMessagesAsync("s1", None).Within());
        Assert.Empty(await store.TakeAllAsync("s1", None).Within());
        Assert.True(await store.HasMessagesAsync("s2", None).Within());
    }

    [Fact]
    public async Task CapDropsTheOldestAndReportsHowMany()
    {
        await using var store = await OpenAsync();
        await store.EnqueueAsync("s", Message("s", 0), 2, None).Within();
        await store.EnqueueAsync("s", Message("s", 1), 2, None).Within();

        Assert.Equal(1, await store.EnqueueAsync("s", Message("s", 2), 2, None).Within());
        Assert.Equal(2, await store.EnqueueAsync("s", Message("s", 3), 1, None).Within());

        Assert.Equal(["3"], (await store.TakeAllAsync("s", None).Within()).Select(Body));
    }

    [Fact]
    public async Task RemoveExpiredDeletesOnlyOlderMessages()
    {
        await using var store = await OpenAsync();
        for (var i = 0; i < 4; i++)
        {
            await store.EnqueueAsync(i % 2 == 0 ? "a" : "b", Message(i % 2 == 0 ? "a" : "b", i), 10, None).Within();
        }

        Assert.Equal(2, await store.RemoveExpiredAsync(Start.AddSeconds(2), None).Within());

        Assert.Equal(["2"], (await store.TakeAllAsync("a", None).Within()).Select(Body));
        Assert.Equal(["3"], (await store.TakeAllAsync("b", None).Within()).Select(Body));
    }

    [Fact]
    public async Task TokenKeyAndMessagesSurviveReopen()
    {
        byte[] key;
        await using (var store = await OpenAsync())
        {
            key = await store.GetTokenKeyAsync(None).Within();
            Assert.Equal(32, key.Length);
            Assert.Equal(key, await store.GetTokenKeyAsync(None).Within());
            await store.EnqueueAsync("s", Message("s", 1), 10, None).Within();
            await store.EnqueueAsync("s", Message("s", 2), 10, None).Within();
        }

        await using (var reopened = await OpenAsync())
        {
            Assert.Equal(key, await reopened.GetTokenKeyAsync(None).Within());
            Assert.Equal(["1", "2"], (await reopened.TakeAllAsync("s", None).Within()).Select(Body));
        }
    }

    [Fact]
    public async Task EventAndSessionStoresShareOneDatabaseAndReleaseItTogether()
    {
        var database = new SqliteDatabase(_dir.Options(), logger: null);
        var events = new SqliteEventStore(database, timeProvider: null, logger: null);
        var sessions = new SqliteSessionStore(database, logger: null);
        await events.InitializeAsync(None).Within();
        await sessions.InitializeAsync(None).Within();

        await events.AppendAsync(Events.Batch("a", 2), None).Within();
        await sessions.EnqueueAsync("s", Message("s", 1), 10, None).Within();
        await events.DisposeAsync().Within();

        // Still open for the session store after the event store let go.
        Assert.True(await sessions.HasMessagesAsync("s", None).Within());
        await sessions.DisposeAsync().Within();

        // Both released: the lock is free for a new owner.
        await using var reopened = await Events.OpenAsync(_dir.Options());
        Assert.Equal(new EventStoreBounds(1, 2), await reopened.GetBoundsAsync(None).Within());
        await database.DisposeAsync().Within();
    }

    private async Task<SqliteSessionStore> OpenAsync()
    {
        var store = new SqliteSessionStore(_dir.Options());
        await store.InitializeAsync(None).Within();
        return store;
    }

    private static SessionMessage Message(string session, int n)
        => new(session, Start.AddSeconds(n), Encoding.UTF8.GetBytes(n.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static string Body(SessionMessage message) => Encoding.UTF8.GetString(message.Data.Span);
}
