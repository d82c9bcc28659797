using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Tests;

public sealed class SchemaUpgradeTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task VersionOneDatabaseIsUpgradedKeepsItsEventsAndNeverReusesIds()
    {
        // A version 1 database: AUTOINCREMENT ids, an index on time, and retention that had emptied it after id 7.
        Execute("""
            CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value BLOB) WITHOUT ROWID;
            CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, type TEXT NOT NULL, time INTEGER NOT NULL, source TEXT, data BLOB NOT NULL);
            CREATE INDEX events_topic ON events (topic);
            CREATE INDEX events_time ON events (time);
            CREATE TABLE session_messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, time INTEGER NOT NULL, data BLOB NOT NULL);
            INSERT INTO events (id, topic, type, time, source, data) VALUES (7, 'a', 'old', 0, NULL, x'7b7d');
            DELETE FROM events;
            INSERT INTO events (id, topic, type, time, source, data) VALUES (5, 'a', 'kept', 0, NULL, x'7b7d');
            PRAGMA user_version = 1;
            """);

        await using (var store = await Events.OpenAsync(_dir.Options()))
        {
            Assert.Equal("kept", (await store.GetAsync(5, None).Within())?.Type);
            var appended = await store.AppendAsync(Events.Batch("a", 2), None).Within();
            Assert.Equal([8L, 9], appended.Select(e => e.Id));
        }

        Assert.Equal(3L, Scalar("PRAGMA user_version;"));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'events_time';"));
    }

    [Fact]
    public async Task VersionTwoMessagesHaveNoOwnerAfterTheUpgradeAndAreSweptUnread()
    {
        // Version 2 derived resume tokens from a key in meta and kept no record of who owned a session.
        Execute("""
            CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value BLOB) WITHOUT ROWID;
            CREATE TABLE events (id INTEGER PRIMARY KEY, topic TEXT NOT NULL, type TEXT NOT NULL, time INTEGER NOT NULL, source TEXT, data BLOB NOT NULL);
            CREATE TABLE session_messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, time INTEGER NOT NULL, data BLOB NOT NULL);
            INSERT INTO meta (key, value) VALUES ('token_key', x'00112233');
            INSERT INTO session_messages (session_id, time, data) VALUES ('victim', 0, x'7b7d');
            PRAGMA user_version = 2;
            """);

        await using (var sessions = new SqliteSessionStore(_dir.Options()))
        {
            await sessions.InitializeAsync(None).Within();
            Assert.Null(await sessions.GetAsync("victim", None).Within());
            Assert.Equal(1, await sessions.RemoveExpiredAsync(DateTimeOffset.MinValue, DateTimeOffset.MinValue, None).Within());
            Assert.Empty(await sessions.ReadQueueAsync("victim", 0, 10, None).Within());
        }

        Assert.Equal(3L, Scalar("PRAGMA user_version;"));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM meta WHERE key = 'token_key';"));
    }

    [Fact]
    public async Task DatabaseFromANewerHeraldIsRefused()
    {
        Execute("PRAGMA user_version = 99;");

        var store = new SqliteEventStore(_dir.Options());
        var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.InitializeAsync(None).AsTask()).Within();

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        await store.DisposeAsync();
    }

    private void Execute(string sql)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_dir.DatabasePath)!);
        using var connection = new SqliteConnection($"Data Source={_dir.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_dir.DatabasePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
