using System.Security.Cryptography;
using Herald.Sqlite.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Sqlite;

/// <summary>
/// Keeps queued session messages and the resume-token key in the SQLite database, so both survive a restart.
/// </summary>
/// <remarks>
/// Uses its own tables (<c>session_messages</c>, and the key in <c>meta</c>). Registered through
/// <c>UseSqlite</c> it shares one database file, lock and writer connection with <see cref="SqliteEventStore"/>;
/// created directly it opens the file itself, so do not also create an event store on the same path that way.
/// </remarks>
public sealed class SqliteSessionStore : ISessionStore
{
    private const string TokenKeyName = "token_key";
    private const int New = 0;
    private const int Ready = 1;
    private const int Disposed = 2;

    private readonly SqliteDatabase _database;
    private readonly ILogger _logger;
    private byte[]? _tokenKey;
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
        _state = Ready;
    }

    /// <inheritdoc />
    /// <remarks>Created from 32 random bytes on first use and kept in the database.</remarks>
    public async ValueTask<byte[]> GetTokenKeyAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        if (_tokenKey is { } cached)
        {
            return cached;
        }

        var key = await WriteAsync(
            static (connection, transaction) =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT OR IGNORE INTO meta (key, value) VALUES ($key, $value); SELECT value FROM meta WHERE key = $key;";
                command.Parameters.AddWithValue("$key", TokenKeyName);
                command.Parameters.AddWithValue("$value", RandomNumberGenerator.GetBytes(32));
                return (byte[])command.ExecuteScalar()!;
            },
            "create the resume-token key",
            cancellationToken).ConfigureAwait(false);
        _tokenKey = key;
        return key;
    }

    /// <inheritdoc />
    public ValueTask<int> EnqueueAsync(string sessionId, SessionMessage message, int maxPerSession, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerSession);
        ThrowIfNotReady();
        return WriteAsync(
            (connection, transaction) =>
            {
                var insert = _database.GetWriterCommand("INSERT INTO session_messages (session_id, time, data) VALUES ($s, $t, $d)", "$s", "$t", "$d");
                insert.Transaction = transaction;
                insert.Parameters[0].Value = sessionId;
                insert.Parameters[1].Value = message.Time.UtcTicks;
                insert.Parameters[2].Value = SqliteDatabase.ToBlob(message.Data);
                insert.ExecuteNonQuery();

                // The queue is at most maxPerSession + 1 long, so counting it is cheap.
                var trim = _database.GetWriterCommand(
                    """
                    DELETE FROM session_messages WHERE seq IN (
                        SELECT seq FROM session_messages WHERE session_id = $s ORDER BY seq
                        LIMIT max(0, (SELECT count(*) FROM session_messages WHERE session_id = $s) - $max))
                    """,
                    "$s",
                    "$max");
                trim.Transaction = transaction;
                trim.Parameters[0].Value = sessionId;
                trim.Parameters[1].Value = maxPerSession;
                return trim.ExecuteNonQuery();
            },
            "queue a session message",
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SessionMessage>> TakeAllAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ThrowIfNotReady();
        return WriteAsync<IReadOnlyList<SessionMessage>>(
            (connection, transaction) =>
            {
                var messages = new List<SessionMessage>();
                var select = _database.GetWriterCommand("SELECT time, data FROM session_messages WHERE session_id = $s ORDER BY seq", "$s");
                select.Transaction = transaction;
                select.Parameters[0].Value = sessionId;
                using (var reader = select.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        messages.Add(new SessionMessage(sessionId, new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero), reader.GetFieldValue<byte[]>(1)));
                    }
                }

                if (messages.Count > 0)
                {
                    var delete = _database.GetWriterCommand("DELETE FROM session_messages WHERE session_id = $s", "$s");
                    delete.Transaction = transaction;
                    delete.Parameters[0].Value = sessionId;
                    delete.ExecuteNonQuery();
                }

                return messages;
            },
            "take queued session messages",
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> HasMessagesAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfNotReady();
        var any = _database.Read(
            (connection, transaction) =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT EXISTS (SELECT 1 FROM session_messages WHERE session_id = $s)";
                command.Parameters.AddWithValue("$s", sessionId);
                return (long)command.ExecuteScalar()! != 0;
            },
            "read queued session messages");
        return ValueTask.FromResult(any);
    }

    /// <inheritdoc />
    public ValueTask<int> RemoveExpiredAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        return WriteAsync(
            (connection, transaction) =>
            {
                var delete = _database.GetWriterCommand("DELETE FROM session_messages WHERE time < $t", "$t");
                delete.Transaction = transaction;
                delete.Parameters[0].Value = cutoff.UtcTicks;
                return delete.ExecuteNonQuery();
            },
            "remove expired session messages",
            cancellationToken);
    }

    /// <summary>Closes the database (releasing the lock file) unless another store still uses it.</summary>
    public async ValueTask DisposeAsync()
    {
        var previous = Interlocked.Exchange(ref _state, Disposed);
        if (previous == Ready)
        {
            await _database.ReleaseAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, string action, CancellationToken cancellationToken)
    {
        try
        {
            return await _database.WriteAsync(work, action, cancellationToken).ConfigureAwait(false);
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
