using System.Security.Cryptography;
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
    public async Task RecordsAndQueuedMessagesSurviveReopen()
    {
        SessionRecord written;
        long sequence;
        await using (var store = await OpenAsync())
        {
            written = (await store.TryWriteAsync(Record("s"), 0, None).Within())!;
            sequence = (await store.EnqueueAsync("s", Start, "{\"n\":1}"u8.ToArray(), 10, None).Within()).Sequence;
        }

        await using (var reopened = await OpenAsync())
        {
            var read = (await reopened.GetAsync("s", None).Within())!;
            Assert.Equal(written.Revision, read.Revision);
            Assert.Equal("owner", read.Owner);
            Assert.Equal(written.TokenHash.ToArray(), read.TokenHash.ToArray());
            Assert.Equal(sequence, Assert.Single(await reopened.ReadQueueAsync("s", 0, 10, None).Within()).Sequence);

            // Revisions keep growing after a restart.
            var updated = await reopened.TryWriteAsync(read with { Owner = "other" }, read.Revision, None).Within();
            Assert.True(updated!.Revision > read.Revision);
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
        await sessions.TryWriteAsync(Record("s"), 0, None).Within();
        await events.DisposeAsync().Within();

        // Still open for the session store after the event store let go.
        Assert.NotNull(await sessions.GetAsync("s", None).Within());
        await sessions.DisposeAsync().Within();

        // Both released: the lock is free for a new owner.
        await using var reopened = await Events.OpenAsync(_dir.Options());
        Assert.Equal(new EventStoreBounds(1, 2), await reopened.GetBoundsAsync(None).Within());
        await database.DisposeAsync().Within();
    }

    private static SessionRecord Record(string id)
        => new() { Id = id, Owner = "owner", TokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(id)), CreatedAt = Start, AwaySince = Start };

    private async Task<SqliteSessionStore> OpenAsync()
    {
        var store = new SqliteSessionStore(_dir.Options());
        await store.InitializeAsync(None).Within();
        return store;
    }
}
