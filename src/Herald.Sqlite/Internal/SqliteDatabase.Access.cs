using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Herald.Sqlite.Internal;

internal sealed partial class SqliteDatabase
{
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
