using Herald.Sqlite.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Sqlite;

/// <summary>
/// A durable event store in one SQLite database file (WAL mode): each appended batch is one transaction,
/// ids are never reused (also after retention and restarts), and readers run concurrently with the writer.
/// </summary>
/// <remarks>
/// Rows are <c>events(id, topic, type, time, source, data)</c>, with <c>time</c> in UTC ticks and
/// <c>data</c> the UTF-8 JSON payload. When <see cref="SqliteStoreOptions.MaxEvents"/> or
/// <see cref="SqliteStoreOptions.MaxAge"/> is set, a background loop started by <see cref="InitializeAsync"/>
/// and stopped by <see cref="DisposeAsync"/> enforces them every <see cref="SqliteStoreOptions.RetentionInterval"/>.
/// </remarks>
public sealed partial class SqliteEventStore : IEventStore
{
    private const string Columns = "id, topic, type, time, source, data";
    private const string HighWaterMarkSql = """
        SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0),
                   coalesce((SELECT value FROM meta WHERE key = 'last_event_id'), 0),
                   coalesce((SELECT max(id) FROM events), 0))
        """;

    private const int New = 0;
    private const int Ready = 1;
    private const int Disposed = 2;

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly EventFeed _feed;
    private readonly IdempotencyWindow _keys = new();
    private Task? _retentionLoop;

    // Only touched inside the database's write gate, and advanced only after a commit.
    private long _lastId;
    private int _state;

    /// <summary>Creates a store on the database file named by <paramref name="options"/>; nothing is opened until <see cref="InitializeAsync"/>.</summary>
    /// <param name="options">Where the database is and how it is kept.</param>
    /// <param name="timeProvider">The clock for events without a time and for retention by age; the system clock when omitted.</param>
    /// <param name="logger">Where to log; nothing is logged when omitted.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid.</exception>
    public SqliteEventStore(SqliteStoreOptions options, TimeProvider? timeProvider = null, ILogger<SqliteEventStore>? logger = null)
        : this(new SqliteDatabase(options, logger), timeProvider, logger)
    {
    }

    internal SqliteEventStore(SqliteDatabase database, TimeProvider? timeProvider, ILogger? logger)
    {
        _database = database;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _feed = new EventFeed(ReadAsync);
    }

    /// <summary>The database file, as an absolute path.</summary>
    public string DatabasePath => _database.FullPath;

    /// <inheritdoc />
    /// <remarks>Creates the data directory and database on first run and takes the lock file beside it.</remarks>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_state == Disposed, this);
        if (_state == Ready)
        {
            return;
        }

        await _database.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _lastId = await _database.WriteAsync(static (connection, transaction) => ReadHighWaterMark(connection, transaction), "read the last event id", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _database.ReleaseAsync().ConfigureAwait(false);
            throw;
        }

        _state = Ready;
        if (_database.Options.MaxEvents is not null || _database.Options.MaxAge is not null)
        {
            _retentionLoop = Task.Run(() => RunRetentionLoopAsync(_stopping.Token), CancellationToken.None);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<HeraldEvent>> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ThrowIfNotReady();
        if (events.Count == 0)
        {
            return [];
        }

        try
        {
            var stored = await _database.WriteAsync(
                (connection, transaction) => Insert(events),
                "store events",
                cancellationToken,
                stored =>
                {
                    // Inside the write gate: the feed sees commits in the order they happened. Retries (events whose
                    // idempotency key was stored before) were answered with older ids and are neither new nor fanned out.
                    var previous = _lastId;
                    var fresh = new List<HeraldEvent>(stored.Count);
                    var now = _time.GetUtcNow();
                    for (var i = 0; i < stored.Count; i++)
                    {
                        if (stored[i].Id > previous && (fresh.Count == 0 || stored[i].Id > fresh[^1].Id))
                        {
                            fresh.Add(stored[i]);
                            if (events[i].IdempotencyKey is { } key)
                            {
                                _keys.Add(key, stored[i].Id, now);
                            }
                        }
                    }

                    if (fresh.Count > 0)
                    {
                        _lastId = fresh[^1].Id;
                        _feed.Publish(fresh);
                    }
                }).ConfigureAwait(false);
            Volatile.Write(ref _failedAppendBytes, 0);
            return stored;
        }
        catch (EventStoreUnavailableException ex)
        {
            Volatile.Write(ref _failedAppendBytes, ProbeSizeFor(events));
            Log.AppendFailed(_logger, events.Count, ex.Message, ex);
            await ReloadHighWaterMarkAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>Fed in process from each commit; a follower that falls behind reads on from the database.</remarks>
    public IAsyncEnumerable<HeraldEvent> FollowAsync(long afterId, CancellationToken cancellationToken) => _feed.FollowAsync(afterId, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// When every filter is an exact topic the topic index is used and the work is bounded by the limit;
    /// otherwise at most <c>max(Limit × 16, 4096)</c> rows are scanned per call.
    /// </remarks>
    public ValueTask<EventPage> ReadAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfNotReady();

        var matchAll = query.Filters.Count == 0 || query.Filters.Any(f => f.Pattern == TopicFilter.All.Pattern);
        var page = !matchAll && query.Filters.All(f => f.IsExact)
            ? _database.Read((connection, transaction) => ReadExactTopics(connection, transaction, query), "read events")
            : _database.Read((connection, transaction) => ReadScan(connection, transaction, query, matchAll), "read events");
        return ValueTask.FromResult(page);
    }

    /// <inheritdoc />
    public ValueTask<HeraldEvent?> GetAsync(long id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfNotReady();
        var stored = _database.Read(
            (connection, transaction) =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"SELECT {Columns} FROM events WHERE id = $id";
                command.Parameters.AddWithValue("$id", id);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadEvent(reader) : null;
            },
            "read an event");
        return ValueTask.FromResult(stored);
    }

    /// <inheritdoc />
    public ValueTask<EventStoreBounds> GetBoundsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfNotReady();
        var bounds = _database.Read(
            static (connection, transaction) =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT coalesce((SELECT min(id) FROM events), 0)";
                var first = (long)command.ExecuteScalar()!;
                return new EventStoreBounds(first, ReadHighWaterMark(connection, transaction));
            },
            "read the event bounds");
        return ValueTask.FromResult(bounds);
    }

    /// <summary>Stops the retention loop and closes the database (releasing the lock file) unless another store still uses it.</summary>
    public async ValueTask DisposeAsync()
    {
        var previous = Interlocked.Exchange(ref _state, Disposed);
        if (previous == Disposed)
        {
            return;
        }

        _feed.Complete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_retentionLoop is not null)
        {
            await _retentionLoop.ConfigureAwait(false);
        }

        _stopping.Dispose();
        if (previous == Ready)
        {
            await _database.ReleaseAsync().ConfigureAwait(false);
        }
    }

    private EventPage ReadScan(SqliteConnection connection, SqliteTransaction transaction, EventQuery query, bool matchAll)
    {
        var rowLimit = matchAll ? query.Limit : Math.Max(query.Limit * 16L, 4096);
        var result = new List<HeraldEvent>(Math.Min(query.Limit, 256));
        var scanned = query.AfterId;
        var rows = 0L;
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT {Columns} FROM events WHERE id > $after ORDER BY id LIMIT $limit";
            command.Parameters.AddWithValue("$after", query.AfterId);
            command.Parameters.AddWithValue("$limit", rowLimit);
            using var reader = command.ExecuteReader();
            while (result.Count < query.Limit && reader.Read())
            {
                rows++;
                scanned = reader.GetInt64(0);
                if (matchAll || query.Matches(reader.GetString(1)))
                {
                    result.Add(ReadEvent(reader));
                }
            }
        }

        // Fewer rows than asked for means the snapshot ended here; otherwise ask it (same snapshot).
        var reachedEnd = (result.Count < query.Limit && rows < rowLimit) || scanned >= MaxStoredId(connection, transaction);
        return new EventPage(result, scanned, reachedEnd);
    }

    private static EventPage ReadExactTopics(SqliteConnection connection, SqliteTransaction transaction, EventQuery query)
    {
        // One index range per topic, each at most Limit rows, merged by id: bounded by topics × Limit whatever
        // the other topics hold. (A single "topic IN (...)" query would sort every match before limiting.)
        var merged = new List<HeraldEvent>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT {Columns} FROM events WHERE topic = $topic AND id > $after ORDER BY id LIMIT $limit";
            var topic = command.Parameters.Add(new SqliteParameter("$topic", null));
            command.Parameters.AddWithValue("$after", query.AfterId);
            command.Parameters.AddWithValue("$limit", query.Limit);
            foreach (var name in query.Filters.Select(f => f.Pattern).Distinct(StringComparer.Ordinal))
            {
                topic.Value = name;
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    merged.Add(ReadEvent(reader));
                }
            }
        }

        merged.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        var maxId = MaxStoredId(connection, transaction);
        if (merged.Count < query.Limit)
        {
            // Every topic ran out: the whole snapshot has been looked at.
            return new EventPage(merged, Math.Max(query.AfterId, maxId), ReachedEnd: true);
        }

        var page = merged.GetRange(0, query.Limit);
        var last = page[^1].Id;
        return new EventPage(page, last, last >= maxId);
    }

    private async ValueTask ReloadHighWaterMarkAsync()
    {
        try
        {
            _lastId = await _database.WriteAsync(static (connection, transaction) => ReadHighWaterMark(connection, transaction), "read the last event id", CancellationToken.None).ConfigureAwait(false);
        }
        catch (EventStoreUnavailableException)
        {
            // Still failing: the next append retries the reload after its own failure, and ids only ever grow.
        }
    }

    private void ThrowIfNotReady()
    {
        switch (Volatile.Read(ref _state))
        {
            case New:
                throw new InvalidOperationException("Call InitializeAsync before using the SQLite event store.");
            case Disposed:
                throw new EventStoreUnavailableException($"The SQLite event store '{_database.FullPath}' is closed.");
        }
    }

    private static long ReadHighWaterMark(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = HighWaterMarkSql;
        return (long)command.ExecuteScalar()!;
    }

    private static long MaxStoredId(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT coalesce(max(id), 0) FROM events";
        return (long)command.ExecuteScalar()!;
    }

    private static HeraldEvent ReadEvent(SqliteDataReader reader)
        => new(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetFieldValue<byte[]>(5));
}
