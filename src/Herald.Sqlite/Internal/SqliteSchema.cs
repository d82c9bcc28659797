using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Internal;

/// <summary>The database's tables and their version (<c>PRAGMA user_version</c>): created or upgraded when the database opens.</summary>
internal static class SqliteSchema
{
    public const int Version = 3;

    // Version 2 dropped the index on events.time and, for new databases, AUTOINCREMENT on events.id: each
    // cost a page write per commit. Ids still never go back: retention records the last id in meta before
    // it deletes (a version 1 database also keeps its sqlite_sequence row). Version 3 added session records;
    // resume tokens are no longer derived from a key in meta, so that key goes, and messages queued under a
    // version 2 database have no record any more and are swept as orphans.
    private const string Sql = """
        CREATE TABLE IF NOT EXISTS meta (
            key TEXT PRIMARY KEY NOT NULL,
            value BLOB
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS events (
            id INTEGER PRIMARY KEY,
            topic TEXT NOT NULL,
            type TEXT NOT NULL,
            time INTEGER NOT NULL,
            source TEXT,
            data BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS events_topic ON events (topic);
        DROP INDEX IF EXISTS events_time;
        CREATE TABLE IF NOT EXISTS session_messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id TEXT NOT NULL,
            time INTEGER NOT NULL,
            data BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS session_messages_session ON session_messages (session_id);
        CREATE INDEX IF NOT EXISTS session_messages_time ON session_messages (time);
        CREATE TABLE IF NOT EXISTS sessions (
            id TEXT PRIMARY KEY NOT NULL,
            owner TEXT,
            token_hash BLOB NOT NULL,
            previous_token_hash BLOB,
            attached_node TEXT,
            attached_connection TEXT,
            attached_since INTEGER,
            created_at INTEGER NOT NULL,
            away_since INTEGER NOT NULL,
            revision INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS sessions_attached_node ON sessions (attached_node) WHERE attached_node IS NOT NULL;
        DELETE FROM meta WHERE key = 'token_key';
        """;

    /// <summary>Creates or upgrades the tables in one transaction; refuses a database made by a newer Herald.</summary>
    /// <exception cref="EventStoreUnavailableException">The database's schema is newer than this Herald's.</exception>
    public static void Apply(SqliteConnection writer, string fullPath)
    {
        using (var read = writer.CreateCommand())
        {
            read.CommandText = "PRAGMA user_version;";
            var version = Convert.ToInt64(read.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (version > Version)
            {
                throw new EventStoreUnavailableException($"The database '{fullPath}' has schema version {version}, made by a newer Herald; this one understands version {Version}.");
            }
        }

        using var transaction = writer.BeginTransaction();
        using var command = writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Sql + $"PRAGMA user_version = {Version.ToString(CultureInfo.InvariantCulture)};";
        command.ExecuteNonQuery();
        transaction.Commit();
    }
}
