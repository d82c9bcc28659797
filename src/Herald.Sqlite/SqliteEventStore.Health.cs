namespace Herald.Sqlite;

public sealed partial class SqliteEventStore
{
    private const int SmallProbeBytes = 16;
    private const int MaxProbeBytes = 4 * 1024 * 1024;
    private const string ProbeSql = "INSERT INTO meta (key, value) VALUES ('health_probe', $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

    // The size of the last batch that failed to store, or 0 once an append (or a probe that size) succeeded.
    private long _failedAppendBytes;

    /// <summary>
    /// Proves the database takes writes: commits a row of <c>meta</c> in a transaction of its own. After a failed append
    /// the row is as large as the failed batch (then shrunk again), because a tiny write can still fit on a disk too full
    /// for events; once that succeeds the batch would fit too, and the failure is forgotten.
    /// </summary>
    /// <exception cref="EventStoreUnavailableException">The write failed; the message names the cause (disk full, read-only).</exception>
    internal async ValueTask ProbeWritesAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        var failed = Volatile.Read(ref _failedAppendBytes);
        await WriteProbeAsync(new byte[Math.Max(SmallProbeBytes, failed)], cancellationToken).ConfigureAwait(false);
        if (failed > 0)
        {
            await WriteProbeAsync(new byte[SmallProbeBytes], cancellationToken).ConfigureAwait(false);
            Interlocked.CompareExchange(ref _failedAppendBytes, 0, failed);
        }
    }

    private ValueTask<int> WriteProbeAsync(byte[] value, CancellationToken cancellationToken)
        => _database.WriteAsync(
            (connection, transaction) =>
            {
                var command = _database.GetWriterCommand(ProbeSql, "$v");
                command.Transaction = transaction;
                command.Parameters[0].Value = value;
                return command.ExecuteNonQuery();
            },
            "write the health probe",
            cancellationToken);

    private static long ProbeSizeFor(IReadOnlyList<NewEvent> events)
    {
        long bytes = 0;
        foreach (var e in events)
        {
            bytes += e.Data.Length + e.Topic.Length + e.Type.Length + 64;
        }

        return Math.Min(bytes, MaxProbeBytes);
    }
}
