using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SQLitePCL;

namespace Herald.Sqlite.Internal;

/// <summary>
/// One SQLite database file shared by the event and session stores: owns the lock file, the pragmas, the
/// schema, the single writer connection and the pool of read connections. This file opens and closes it;
/// <c>SqliteDatabase.Access.cs</c> runs the stores' writes and reads.
/// </summary>
/// <remarks>
/// Opened by the first store that acquires it and closed when the last one releases it (or when it is
/// disposed), so either store works alone and both can share one file.
/// </remarks>
internal sealed partial class SqliteDatabase : IAsyncDisposable
{
    private readonly SemaphoreSlim _stateGate = new(1, 1);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, sqlite3_stmt> _writerStatements = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private SqliteLockFile? _lockFile;
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

        _lockFile = SqliteLockFile.Take(LockPath, FullPath);

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

        SqliteSchema.Apply(_writer, FullPath);

        _readConnectionString = new SqliteConnectionStringBuilder(builder.ConnectionString)
        {
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
        }.ConnectionString;
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
}
