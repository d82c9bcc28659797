using Herald.Sqlite.Internal;

namespace Herald.Sqlite;

/// <summary>
/// Retention: <see cref="SqliteStoreOptions.MaxEvents"/> and <see cref="SqliteStoreOptions.MaxAge"/>, enforced in small
/// transactions by a background loop (started by <see cref="InitializeAsync"/>) or on demand.
/// </summary>
public sealed partial class SqliteEventStore
{
    private const int RetentionChunk = 1000;

    private const string RecordLastIdSql = "INSERT INTO meta (key, value) VALUES ('last_event_id', $id) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)";

    // Oldest first, in id order: the expired prefix of the next chunk goes, and an event still inside MaxAge
    // keeps the ones stored after it. This needs no index on time, which would cost a page write per commit.
    private const string DeleteExpiredSql = """
        DELETE FROM events WHERE id IN (
            SELECT id FROM events
            WHERE id < coalesce((SELECT min(id) FROM (SELECT id, time FROM events ORDER BY id LIMIT 1000) WHERE time >= $p), 9223372036854775807)
            ORDER BY id LIMIT 1000)
        """;

    /// <summary>
    /// Deletes events beyond <see cref="SqliteStoreOptions.MaxEvents"/> and older than
    /// <see cref="SqliteStoreOptions.MaxAge"/> now, in small transactions so appends never wait long.
    /// The background loop calls this; call it directly to enforce retention without waiting.
    /// </summary>
    /// <param name="cancellationToken">Stops between chunks; chunks already deleted stay deleted.</param>
    /// <returns>How many events were deleted.</returns>
    public async ValueTask<long> EnforceRetentionAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        var options = _database.Options;
        long deleted = 0;
        if (options.MaxAge is { } maxAge)
        {
            var cutoff = (_time.GetUtcNow() - maxAge).UtcTicks;
            deleted += await DeleteInChunksAsync(DeleteExpiredSql, cutoff, cancellationToken).ConfigureAwait(false);
        }

        if (options.MaxEvents is { } maxEvents)
        {
            // The newest event that must go: everything up to it is beyond the count limit.
            var newestToDelete = _database.Read(
                (connection, transaction) =>
                {
                    using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = "SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET $max";
                    command.Parameters.AddWithValue("$max", maxEvents);
                    return command.ExecuteScalar() is long id ? id : 0;
                },
                "apply event retention");
            if (newestToDelete > 0)
            {
                deleted += await DeleteInChunksAsync("DELETE FROM events WHERE id IN (SELECT id FROM events WHERE id <= $p ORDER BY id LIMIT 1000)", newestToDelete, cancellationToken).ConfigureAwait(false);
            }
        }

        if (deleted > 0)
        {
            var bounds = await GetBoundsAsync(cancellationToken).ConfigureAwait(false);
            Log.RetentionDeleted(_logger, deleted, bounds.FirstId);
        }

        return deleted;
    }

    private async ValueTask<long> DeleteInChunksAsync(string sql, long parameter, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            // Each chunk is its own short transaction, so a waiting append gets the writer in between.
            var deleted = await _database.WriteAsync(
                (connection, transaction) =>
                {
                    // Ids must never go back, also when retention empties the table.
                    var mark = _database.GetWriterCommand(RecordLastIdSql, "$id");
                    mark.Transaction = transaction;
                    mark.Parameters[0].Value = _lastId;
                    mark.ExecuteNonQuery();
                    var command = _database.GetWriterCommand(sql, "$p");
                    command.Transaction = transaction;
                    command.Parameters[0].Value = parameter;
                    return command.ExecuteNonQuery();
                },
                "apply event retention",
                cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < RetentionChunk)
            {
                return total;
            }
        }
    }

    private async Task RunRetentionLoopAsync(CancellationToken cancellationToken)
    {
        var interval = _database.Options.RetentionInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
                await EnforceRetentionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever went wrong, keep the loop alive: the next pass retries.
                Log.RetentionFailed(_logger, ex);
            }
        }
    }
}
