using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SQLitePCL;

namespace Herald.Sqlite.Internal;

/// <summary>
/// One SQLite database file shared by the event and session stores: owns the lock file, the pragmas, the
/// schema, the single writer connection and the pool of read connections.
/// </summary>
/// <remarks>
/// Opened by the first store that acquires it and closed when the last one releases it (or when it is
/// disposed), so either store works alone and both can share one file.
/// </remarks>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private const int SchemaVersion = 3;

    // Version 2 dropped the index on events.time and, for new databases, AUTOINCREMENT on events.id: each
    // cost a page write per commit. Ids still never go back: retention records the last id in meta before
    // it deletes (a version 1 database also keeps its sqlite_sequence row). Version 3 added session records;
    // resume tokens are no longer derived from a key in meta, so that key goes, and messages queued under a
    // version 2 database have no record any more and are swept as orphans.
    private const string SchemaSql = """
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

    private readonly SemaphoreSlim _stateGate = new(1, 1);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, sqlite3_stmt> _writerStatements = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private FileStream? _lockFile;
    private SqliteConnection? _writer;
    private string? _readConnectionString;
    private int _leases;
    private volatile bool _disposed;

    public SqliteDatabase(SqliteStoreOptions options, ILogger? logger)
    {
        SqliteStoreOptionsValidator.ThrowIfInvalid(options);
        Options = options;
        _logger = logger ?? NullLogger.Instance;
        FullPath = System.IO.Path.GetFullPath(options.Path);
        LockPath = FullPath + ".lock";
    }

    public SqliteStoreOptions Options { get; }

    /// <summary>The database file, as an absolute path.</summary>
    public string FullPath { get; }

    /// <summary>The lock file beside the database that keeps a second process out.</summary>
    public string LockPath { get; }

    /// <summary>Opens the database if no store holds it yet, and counts one more holder.</summary>
    /// <exception cref="EventStoreUnavailableException">The database cannot be opened; the message says why.</exception>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        await _stateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_leases == 0)
            {
                Open();
            }

            _leases++;
        }
        finally
        {
            _stateGate.Release();
        }
    }

    /// <summary>Counts one holder less, closing the database when none is left.</summary>
    public async ValueTask ReleaseAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _stateGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_leases > 0 && --_leases == 0)
            {
                await CloseAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _stateGate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction on the writer connection, committing when it
    /// returns and <paramref name="cancellationToken"/> is not cancelled; otherwise nothing is written.
    /// <paramref name="committed"/> runs after a successful commit, still inside the write gate, so commits are
    /// reported in the order they happened.
    /// </summary>
    /// <param name="work">The writes.</param>
    /// <param name="action">What is being done, for the error message.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <param name="committed">Runs after the commit.</param>
    /// <param name="sync">
    /// Whether this commit waits for the disk as <see cref="SqliteStoreOptions.Synchronous"/> says (events). False
    /// commits with <c>synchronous=NORMAL</c> (session bookkeeping): it survives a crash of Herald, and the next
    /// synced commit makes it durable against power loss too.
    /// </param>
    /// <exception cref="EventStoreUnavailableException">The write failed (disk full, read-only, locked, closed).</exception>
    public async ValueTask<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, string action, CancellationToken cancellationToken, Action<T>? committed = null, bool sync = true)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = _writer ?? throw Closed();
            var relaxed = !sync && Options.Synchronous == SqliteSynchronous.Full;
            if (relaxed)
            {
                Execute(writer, "PRAGMA synchronous = NORMAL;");
            }

            try
            {
                var transaction = writer.BeginTransaction();
                try
                {
                    var result = work(writer, transaction);
                    cancellationToken.ThrowIfCancellationRequested();
                    transaction.Commit();
                    committed?.Invoke(result);
                    return result;
                }
                finally
                {
                    DisposeQuietly(transaction);
                }
            }
            finally
            {
                if (relaxed)
                {
                    Execute(writer, "PRAGMA synchronous = FULL;");
                }
            }
        }
        catch (SqliteException ex)
        {
            throw Unavailable(ex, action);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// A prepared command on the writer connection, created once per open and reused; call it only inside
    /// <see cref="WriteAsync{T}"/> and set its <see cref="SqliteCommand.Transaction"/> before use.
    /// </summary>
    public SqliteCommand GetWriterCommand(string sql, params ReadOnlySpan<string> parameterNames)
    {
        if (!_writerCommands.TryGetValue(sql, out var command))
        {
            command = (_writer ?? throw Closed()).CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameterNames)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            command.Prepare();
            _writerCommands[sql] = command;
        }

        return command;
    }

    /// <summary>
    /// A statement with positional parameters, prepared once per open on the writer connection, for hot paths
    /// where <see cref="SqliteCommand"/>'s per-execution work (binding by name, a data reader per call) costs
    /// more than SQLite itself. Call it only inside <see cref="WriteAsync{T}"/>; run it with <see cref="Step"/>.
    /// </summary>
    public sqlite3_stmt GetWriterStatement(string sql)
    {
        if (!_writerStatements.TryGetValue(sql, out var statement))
        {
            var handle = (_writer ?? throw Closed()).Handle!;
            SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v3(handle, sql, raw.SQLITE_PREPARE_PERSISTENT, out statement), handle);
            _writerStatements[sql] = statement;
        }

        return statement;
    }

    /// <summary>Runs a statement from <see cref="GetWriterStatement"/> to completion and resets it for the next use.</summary>
    /// <exception cref="SqliteException">SQLite failed (constraint, disk full, I/O error).</exception>
    public void Step(sqlite3_stmt statement)
    {
        var result = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (result != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(result, _writer!.Handle);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled read connection inside one read transaction, so every query
    /// in it sees the same snapshot. Readers never wait for the writer (WAL).
    /// </summary>
    /// <exception cref="EventStoreUnavailableException">The read failed or the database is closed.</exception>
    public T Read<T>(Func<SqliteConnection, SqliteTransaction, T> work, string action)
    {
        var connectionString = _readConnectionString ?? throw Closed();
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var transaction = connection.BeginTransaction(deferred: true);
            return work(connection, transaction);
        }
        catch (SqliteException ex)
        {
            throw Unavailable(ex, action);
        }
    }

    /// <summary>Closes the database whoever still holds it, and releases the lock file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stateGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _leases = 0;
            await CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            _stateGate.Release();
        }
    }

    /// <summary>Turns a SQLite failure into the exception the hub reports as 503, naming the cause.</summary>
    public EventStoreUnavailableException Unavailable(SqliteException ex, string action)
    {
        var reason = ex.SqliteErrorCode switch
        {
            SQLitePCL.raw.SQLITE_FULL => $"the disk holding '{FullPath}' is full",
            SQLitePCL.raw.SQLITE_READONLY or SQLitePCL.raw.SQLITE_PERM => $"the database '{FullPath}' is read-only",
            SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED => $"the database '{FullPath}' is locked by another process",
            SQLitePCL.raw.SQLITE_CANTOPEN => $"the database '{FullPath}' cannot be opened (check the directory exists and is writable)",
            SQLitePCL.raw.SQLITE_IOERR => $"an I/O error occurred on '{FullPath}'",
            SQLitePCL.raw.SQLITE_CORRUPT or SQLitePCL.raw.SQLITE_NOTADB => $"'{FullPath}' is not a valid Herald database or is corrupt",
            _ => $"SQLite failed on '{FullPath}'",
        };
        return new EventStoreUnavailableException($"Cannot {action}: {reason} ({ex.Message}).", ex);
    }

    /// <summary>A blob parameter value for <paramref name="data"/>, without copying when it is a whole array.</summary>
    public static byte[] ToBlob(ReadOnlyMemory<byte> data)
        => MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();

    private EventStoreUnavailableException Closed()
        => new($"The SQLite store '{FullPath}' is closed.");

    private void Open()
    {
        try
        {
            OpenCore();
        }
        catch (EventStoreUnavailableException ex)
        {
            Log.OpenFailed(_logger, ex.Message, ex);
            CloseCore();
            throw;
        }
        catch (SqliteException ex)
        {
            var error = Unavailable(ex, "open the SQLite store");
            Log.OpenFailed(_logger, error.Message, ex);
            CloseCore();
            throw error;
        }

        Log.DatabaseOpened(_logger, FullPath, Options.Synchronous);
    }

    private void OpenCore()
    {
        var directory = System.IO.Path.GetDirectoryName(FullPath)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EventStoreUnavailableException($"Cannot create the data directory '{directory}' for the SQLite store: {ex.Message}", ex);
        }

        TakeLockFile();

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = FullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(Options.BusyTimeout.TotalSeconds),
        };
        _writer = new SqliteConnection(builder.ConnectionString);
        _writer.Open();

        var busyMs = (long)Options.BusyTimeout.TotalMilliseconds;
        Execute(_writer, $"PRAGMA busy_timeout = {busyMs.ToString(CultureInfo.InvariantCulture)};");
        var journalMode = Convert.ToString(Scalar(_writer, "PRAGMA journal_mode = WAL;"), CultureInfo.InvariantCulture);
        if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new EventStoreUnavailableException($"The database '{FullPath}' cannot use WAL mode (journal_mode is '{journalMode}'); put it on a local file system.");
        }

        Execute(_writer, $"PRAGMA synchronous = {Options.Synchronous.ToString().ToUpperInvariant()};");

        var version = Convert.ToInt64(Scalar(_writer, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new EventStoreUnavailableException($"The database '{FullPath}' has schema version {version}, made by a newer Herald; this one understands version {SchemaVersion}.");
        }

        using (var transaction = _writer.BeginTransaction())
        {
            using var command = _writer.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = SchemaSql + $"PRAGMA user_version = {SchemaVersion.ToString(CultureInfo.InvariantCulture)};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }

        _readConnectionString = new SqliteConnectionStringBuilder(builder.ConnectionString)
        {
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
        }.ConnectionString;
    }

    private void TakeLockFile()
    {
        try
        {
            // FileShare.None is an exclusive OS lock (flock on Unix) that dies with the process, so a
            // kill -9 never leaves a stale lock behind.
            _lockFile = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (File.Exists(LockPath))
        {
            throw new EventStoreUnavailableException($"The database '{FullPath}' is in use by another Herald process: the lock file '{LockPath}' is held. Stop the other process or configure another path.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EventStoreUnavailableException($"Cannot create the lock file '{LockPath}' for the SQLite store: {ex.Message}", ex);
        }

        try
        {
            // The owner's process id helps an operator find who holds the database.
            _lockFile.SetLength(0);
            _lockFile.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            _lockFile.Flush();
        }
        catch (IOException ex)
        {
            throw new EventStoreUnavailableException($"Cannot write the lock file '{LockPath}': {ex.Message}", ex);
        }
    }

    private async ValueTask CloseAsync()
    {
        var wasOpen = _writer is not null;

        // Waiting for the write gate lets an in-flight commit finish before the connection goes away.
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            CloseCore();
        }
        finally
        {
            _writeGate.Release();
        }

        if (wasOpen)
        {
            Log.DatabaseClosed(_logger, FullPath);
        }
    }

    private void CloseCore()
    {
        foreach (var command in _writerCommands.Values)
        {
            command.Dispose();
        }

        _writerCommands.Clear();
        foreach (var statement in _writerStatements.Values)
        {
            statement.Dispose();
        }

        _writerStatements.Clear();
        if (_readConnectionString is not null)
        {
            using var pooled = new SqliteConnection(_readConnectionString);
            SqliteConnection.ClearPool(pooled);
            _readConnectionString = null;
        }

        // The last connection to close checkpoints the WAL back into the database file.
        _writer?.Dispose();
        _writer = null;
        _lockFile?.Dispose();
        _lockFile = null;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void DisposeQuietly(SqliteTransaction transaction)
    {
        try
        {
            transaction.Dispose();
        }
        catch (SqliteException)
        {
            // SQLite already rolled back after a failed commit (disk full, I/O error); the original error is what matters.
        }
    }
}
