using Herald.Sqlite.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Sqlite;

/// <summary>
/// Keeps session records (owner, resume-token hashes, attachment) and mailboxes in the SQLite database, so a
/// session's owner, its queued messages and the tokens that open it survive a restart, after SIGTERM or kill -9.
/// </summary>
/// <remarks>
/// <para>Uses its own tables (<c>sessions</c>, <c>session_messages</c>). Registered through <c>UseSqlite</c> it
/// shares one database file, lock and writer connection with <see cref="SqliteEventStore"/>; created directly it
/// opens the file itself, so do not also create an event store on the same path that way.</para>
/// <para>Session writes commit with <c>synchronous=NORMAL</c>: they survive a crash of Herald, and the next event
/// commit makes them durable against power loss. A record lost to power loss fails safe: its client gets a new
/// session rather than someone else's.</para>
/// </remarks>
public sealed class SqliteSessionStore : ISessionStore
{
    private const string RecordColumns = "id, owner, token_hash, previous_token_hash, attached_node, attached_connection, attached_since, created_at, away_since, revision";
    private const int New = 0;
    private const int Ready = 1;
    private const int Disposed = 2;

    private readonly SqliteDatabase _database;
    private readonly ILogger _logger;
    private readonly SessionChangeFeed _changes = new();

    // Only touched inside the database's write gate. Revisions only grow: the counter starts above every stored one.
    private long _lastRevision;
    private int _state;

    /// <summary>Creates a store on the database file named by <paramref name="options"/>; nothing is opened until <see cref="InitializeAsync"/>.</summary>
    /// <param name="options">Where the database is and how it is kept.</param>
    /// <param name="logger">Where to log; nothing is logged when omitted.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid.</exception>
    public SqliteSessionStore(SqliteStoreOptions options, ILogger<SqliteSessionStore>? logger = null)
        : this(new SqliteDatabase(options, logger), logger)
    {
    }

    internal SqliteSessionStore(SqliteDatabase database, ILogger? logger)
    {
        _database = database;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    /// <exception cref="EventStoreUnavailableException">The database cannot be opened; the message says why.</exception>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_state == Disposed, this);
        if (_state == Ready)
        {
            return;
        }

        await _database.AcquireAsync(cancellationToken).ConfigureAwait(false);
        _lastRevision = _database.Read(
            static (connection, transaction) =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT coalesce(max(revision), 0) FROM sessions";
                return (long)command.ExecuteScalar()!;
            },
            "read the session revision");
        _state = Ready;
    }

    /// <inheritdoc />
    public ValueTask<SessionRecord?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfNotReady();
        var record = _database.Read(
            (connection, transaction) =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"SELECT {RecordColumns} FROM sessions WHERE id = $id";
                command.Parameters.AddWithValue("$id", sessionId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadRecord(reader) : null;
            },
            "read a session");
        return ValueTask.FromResult(record);
    }

    /// <inheritdoc />
    public ValueTask<SessionRecord?> TryWriteAsync(SessionRecord record, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ThrowIfNotReady();
        return WriteAsync(
            (connection, transaction) =>
            {
                var stored = record with { Revision = _lastRevision + 1 };
                var command = expectedRevision == 0
                    ? _database.GetWriterCommand(
                        $"INSERT INTO sessions ({RecordColumns}) VALUES ($id, $owner, $token, $previous, $node, $connection, $since, $created, $away, $revision) ON CONFLICT (id) DO NOTHING",
                        RecordParameters)
                    : _database.GetWriterCommand(
                        """
                        UPDATE sessions SET owner = $owner, token_hash = $token, previous_token_hash = $previous, attached_node = $node,
                            attached_connection = $connection, attached_since = $since, created_at = $created, away_since = $away, revision = $revision
                        WHERE id = $id AND revision = $expected
                        """,
                        [.. RecordParameters, "$expected"]);
                command.Transaction = transaction;
                Bind(command, stored);
                if (expectedRevision != 0)
                {
                    command.Parameters["$expected"].Value = expectedRevision;
                }

                if (command.ExecuteNonQuery() == 0)
                {
                    return null;
                }

                if (expectedRevision == 0)
                {
                    // A new owner never reads what was queued under the id before.
                    DeleteMailbox(transaction, record.Id);
                }

                _lastRevision = stored.Revision;
                return stored;
            },
            "write a session",
            cancellationToken,
            stored =>
            {
                if (stored is not null)
                {
                    _changes.Publish(new SessionChange(SessionChangeKind.Written, stored.Id, stored));
                }
            });
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryDeleteAsync(string sessionId, long? expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ThrowIfNotReady();
        var deleted = await WriteAsync(
            (connection, transaction) =>
            {
                var delete = _database.GetWriterCommand(
                    $"DELETE FROM sessions WHERE id = $id AND ($expected IS NULL OR revision = $expected) RETURNING {RecordColumns}", "$id", "$expected");
                delete.Transaction = transaction;
                delete.Parameters[0].Value = sessionId;
                delete.Parameters[1].Value = (object?)expectedRevision ?? DBNull.Value;
                SessionRecord? record;
                using (var reader = delete.ExecuteReader())
                {
                    record = reader.Read() ? ReadRecord(reader) : null;
                }

                if (record is not null)
                {
                    DeleteMailbox(transaction, sessionId);
                }

                return record;
            },
            "delete a session",
            cancellationToken,
            record =>
            {
                if (record is not null)
                {
                    _changes.Publish(new SessionChange(SessionChangeKind.Deleted, sessionId, record));
                }
            }).ConfigureAwait(false);
        return deleted is not null;
    }

    /// <inheritdoc />
    public ValueTask<SessionEnqueueResult> EnqueueAsync(string sessionId, DateTimeOffset time, ReadOnlyMemory<byte> data, int maxQueued, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxQueued);
        ThrowIfNotReady();
        return WriteAsync(
            (connection, transaction) =>
            {
                var insert = _database.GetWriterCommand("INSERT INTO session_messages (session_id, time, data) VALUES ($s, $t, $d) RETURNING seq", "$s", "$t", "$d");
                insert.Transaction = transaction;
                insert.Parameters[0].Value = sessionId;
                insert.Parameters[1].Value = time.UtcTicks;
                insert.Parameters[2].Value = SqliteDatabase.ToBlob(data);
                var sequence = (long)insert.ExecuteScalar()!;

                // The mailbox is at most maxQueued + 1 long, so counting it is cheap.
                var count = _database.GetWriterCommand("SELECT count(*) FROM session_messages WHERE session_id = $s", "$s");
                count.Transaction = transaction;
                count.Parameters[0].Value = sessionId;
                var queued = (int)(long)count.ExecuteScalar()!;
                var dropped = 0;
                if (queued > maxQueued)
                {
                    var trim = _database.GetWriterCommand(
                        "DELETE FROM session_messages WHERE seq IN (SELECT seq FROM session_messages WHERE session_id = $s ORDER BY seq LIMIT $n)",
                        "$s",
                        "$n");
                    trim.Transaction = transaction;
                    trim.Parameters[0].Value = sessionId;
                    trim.Parameters[1].Value = queued - maxQueued;
                    dropped = trim.ExecuteNonQuery();
                }

                return new SessionEnqueueResult(sequence, dropped, queued - dropped);
            },
            "queue a session message",
            cancellationToken,
            _ => _changes.Publish(new SessionChange(SessionChangeKind.MessageQueued, sessionId)));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<QueuedMessage>> ReadQueueAsync(string sessionId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfNotReady();
        var messages = _database.Read<IReadOnlyList<QueuedMessage>>(
            (connection, transaction) =>
            {
                var page = new List<QueuedMessage>();
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT seq, time, data FROM session_messages WHERE session_id = $s AND seq > $after ORDER BY seq LIMIT $limit";
                command.Parameters.AddWithValue("$s", sessionId);
                command.Parameters.AddWithValue("$after", afterSequence);
                command.Parameters.AddWithValue("$limit", limit);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    page.Add(new QueuedMessage(reader.GetInt64(0), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero), reader.GetFieldValue<byte[]>(2)));
                }

                return page;
            },
            "read queued session messages");
        return ValueTask.FromResult(messages);
    }

    /// <inheritdoc />
    public async ValueTask RemoveQueuedAsync(string sessionId, long throughSequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ThrowIfNotReady();
        await WriteAsync(
            (connection, transaction) =>
            {
                var delete = _database.GetWriterCommand("DELETE FROM session_messages WHERE session_id = $s AND seq <= $through", "$s", "$through");
                delete.Transaction = transaction;
                delete.Parameters[0].Value = sessionId;
                delete.Parameters[1].Value = throughSequence;
                return delete.ExecuteNonQuery();
            },
            "remove delivered session messages",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<int> ReleaseNodeAsync(string nodeId, DateTimeOffset awaySince, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        ThrowIfNotReady();
        var released = await WriteAsync(
            (connection, transaction) =>
            {
                var ids = new List<string>();
                using (var select = connection.CreateCommand())
                {
                    select.Transaction = transaction;
                    select.CommandText = "SELECT id FROM sessions WHERE attached_node = $node";
                    select.Parameters.AddWithValue("$node", nodeId);
                    using var reader = select.ExecuteReader();
                    while (reader.Read())
                    {
                        ids.Add(reader.GetString(0));
                    }
                }

                var released = new List<SessionRecord>(ids.Count);
                var update = _database.GetWriterCommand(
                    $"UPDATE sessions SET attached_node = NULL, attached_connection = NULL, attached_since = NULL, away_since = $away, revision = $revision WHERE id = $id RETURNING {RecordColumns}",
                    "$away",
                    "$revision",
                    "$id");
                update.Transaction = transaction;
                foreach (var id in ids)
                {
                    update.Parameters[0].Value = awaySince.UtcTicks;
                    update.Parameters[1].Value = ++_lastRevision;
                    update.Parameters[2].Value = id;
                    using var reader = update.ExecuteReader();
                    if (reader.Read())
                    {
                        released.Add(ReadRecord(reader));
                    }
                }

                return released;
            },
            "release a node's sessions",
            cancellationToken,
            released =>
            {
                foreach (var record in released)
                {
                    _changes.Publish(new SessionChange(SessionChangeKind.Written, record.Id, record));
                }
            }).ConfigureAwait(false);
        return released.Count;
    }

    /// <inheritdoc />
    public ValueTask<int> RemoveExpiredAsync(DateTimeOffset awayBefore, DateTimeOffset messagesBefore, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        var deletedRecords = new List<SessionRecord>();
        return WriteAsync(
            (connection, transaction) =>
            {
                deletedRecords.Clear();
                using (var select = connection.CreateCommand())
                {
                    select.Transaction = transaction;
                    select.CommandText = $"DELETE FROM sessions WHERE attached_node IS NULL AND away_since < $away RETURNING {RecordColumns}";
                    select.Parameters.AddWithValue("$away", awayBefore.UtcTicks);
                    using var reader = select.ExecuteReader();
                    while (reader.Read())
                    {
                        deletedRecords.Add(ReadRecord(reader));
                    }
                }

                using var messages = connection.CreateCommand();
                messages.Transaction = transaction;
                messages.CommandText = """
                    DELETE FROM session_messages
                    WHERE time < $before OR NOT EXISTS (SELECT 1 FROM sessions WHERE sessions.id = session_messages.session_id)
                    """;
                messages.Parameters.AddWithValue("$before", messagesBefore.UtcTicks);
                return deletedRecords.Count + messages.ExecuteNonQuery();
            },
            "remove expired sessions",
            cancellationToken,
            _ =>
            {
                foreach (var record in deletedRecords)
                {
                    _changes.Publish(new SessionChange(SessionChangeKind.Deleted, record.Id, record));
                }
            });
    }

    /// <inheritdoc />
    public IAsyncEnumerable<SessionChange> WatchAsync(CancellationToken cancellationToken) => _changes.WatchAsync(cancellationToken);

    /// <summary>Ends every watch and closes the database (releasing the lock file) unless another store still uses it.</summary>
    public async ValueTask DisposeAsync()
    {
        var previous = Interlocked.Exchange(ref _state, Disposed);
        _changes.Complete();
        if (previous == Ready)
        {
            await _database.ReleaseAsync().ConfigureAwait(false);
        }
    }

    private static readonly string[] RecordParameters = ["$id", "$owner", "$token", "$previous", "$node", "$connection", "$since", "$created", "$away", "$revision"];

    private static void Bind(SqliteCommand command, SessionRecord record)
    {
        var p = command.Parameters;
        p["$id"].Value = record.Id;
        p["$owner"].Value = (object?)record.Owner ?? DBNull.Value;
        p["$token"].Value = record.TokenHash.ToArray();
        p["$previous"].Value = record.PreviousTokenHash.IsEmpty ? DBNull.Value : record.PreviousTokenHash.ToArray();
        p["$node"].Value = (object?)record.Attachment?.NodeId ?? DBNull.Value;
        p["$connection"].Value = (object?)record.Attachment?.ConnectionId ?? DBNull.Value;
        p["$since"].Value = (object?)record.Attachment?.Since.UtcTicks ?? DBNull.Value;
        p["$created"].Value = record.CreatedAt.UtcTicks;
        p["$away"].Value = record.AwaySince.UtcTicks;
        p["$revision"].Value = record.Revision;
    }

    private static SessionRecord ReadRecord(SqliteDataReader reader)
        => new()
        {
            Id = reader.GetString(0),
            Owner = reader.IsDBNull(1) ? null : reader.GetString(1),
            TokenHash = reader.GetFieldValue<byte[]>(2),
            PreviousTokenHash = reader.IsDBNull(3) ? ReadOnlyMemory<byte>.Empty : reader.GetFieldValue<byte[]>(3),
            Attachment = reader.IsDBNull(4) ? null : new SessionAttachment(reader.GetString(4), reader.GetString(5), new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero)),
            CreatedAt = new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero),
            AwaySince = new DateTimeOffset(reader.GetInt64(8), TimeSpan.Zero),
            Revision = reader.GetInt64(9),
        };

    private void DeleteMailbox(SqliteTransaction transaction, string sessionId)
    {
        var delete = _database.GetWriterCommand("DELETE FROM session_messages WHERE session_id = $s", "$s");
        delete.Transaction = transaction;
        delete.Parameters[0].Value = sessionId;
        delete.ExecuteNonQuery();
    }

    private async ValueTask<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, string action, CancellationToken cancellationToken, Action<T>? committed = null)
    {
        // A failed commit may leave a revision unused; revisions only need to grow.
        try
        {
            return await _database.WriteAsync(work, action, cancellationToken, committed, sync: false).ConfigureAwait(false);
        }
        catch (EventStoreUnavailableException ex)
        {
            Log.SessionWriteFailed(_logger, ex.Message, ex);
            throw;
        }
    }

    private void ThrowIfNotReady()
    {
        switch (Volatile.Read(ref _state))
        {
            case New:
                throw new InvalidOperationException("Call InitializeAsync before using the SQLite session store.");
            case Disposed:
                throw new EventStoreUnavailableException($"The SQLite session store '{_database.FullPath}' is closed.");
        }
    }
}
