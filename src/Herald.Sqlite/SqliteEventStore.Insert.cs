using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Herald.Sqlite;

public sealed partial class SqliteEventStore
{
    private const int ColumnsPerRow = 6;

    // Rows per INSERT statement, largest first: one statement per many rows spreads SQLite's per-statement
    // work (and the AUTOINCREMENT bookkeeping) over the batch. Each size is prepared once.
    private static readonly int[] RowsPerStatement = [64, 8, 1];
    private static readonly string[] InsertSql = [.. RowsPerStatement.Select(CreateInsertSql)];

    private IReadOnlyList<HeraldEvent> Insert(IReadOnlyList<NewEvent> events)
    {
        var now = _time.GetUtcNow();
        var stored = new HeraldEvent[events.Count];
        var (fresh, positions, repeats) = SkipRetries(events, stored, now);
        var id = _lastId;
        var next = 0;
        for (var size = 0; size < RowsPerStatement.Length; size++)
        {
            var rows = RowsPerStatement[size];
            if (fresh.Count - next < rows)
            {
                continue;
            }

            var statement = _database.GetWriterStatement(InsertSql[size]);
            while (fresh.Count - next >= rows)
            {
                for (var row = 0; row < rows; row++, next++)
                {
                    var e = fresh[next];
                    var time = e.Time ?? now;
                    Bind(statement, row * ColumnsPerRow, ++id, e, time);
                    stored[positions?[next] ?? next] = new HeraldEvent(id, e.Topic, e.Type, time, e.Source, e.Data, now);
                }

                _database.Step(statement);
            }
        }

        // A key repeated within the batch takes the id its first occurrence was just stored under.
        foreach (var (repeat, first) in repeats)
        {
            var e = events[repeat];
            stored[repeat] = new HeraldEvent(stored[first].Id, e.Topic, e.Type, e.Time ?? now, e.Source, e.Data, now);
        }

        return stored;
    }

    /// <summary>
    /// The events to store: those without a key, or with one neither stored within the idempotency window nor earlier in
    /// this batch. Retries of stored events are answered in <paramref name="stored"/> with the id they were stored under;
    /// keys repeated within the batch are listed with the position of their first occurrence. Null positions when every
    /// event is to be stored.
    /// </summary>
    private (IReadOnlyList<NewEvent> Fresh, List<int>? Positions, List<(int Repeat, int First)> Repeats) SkipRetries(IReadOnlyList<NewEvent> events, HeraldEvent[] stored, DateTimeOffset now)
    {
        if (!events.Any(e => e.IdempotencyKey is not null))
        {
            return (events, null, []);
        }

        var fresh = new List<NewEvent>(events.Count);
        var positions = new List<int>(events.Count);
        var repeats = new List<(int, int)>();
        var firstOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.IdempotencyKey is { } key)
            {
                if (_keys.TryGet(key, now, out var storedId))
                {
                    stored[i] = new HeraldEvent(storedId, e.Topic, e.Type, e.Time ?? now, e.Source, e.Data, now);
                    continue;
                }

                if (firstOf.TryGetValue(key, out var first))
                {
                    repeats.Add((i, first));
                    continue;
                }

                firstOf[key] = i;
            }

            fresh.Add(e);
            positions.Add(i);
        }

        return (fresh, positions, repeats);
    }

    private static void Bind(sqlite3_stmt statement, int offset, long id, NewEvent e, DateTimeOffset time)
    {
        // Parameters are numbered from 1. Text goes in as UTF-16 and SQLite converts it, saving a managed copy.
        Check(raw.sqlite3_bind_int64(statement, offset + 1, id));
        Check(raw.sqlite3_bind_text16(statement, offset + 2, e.Topic.AsSpan()));
        Check(raw.sqlite3_bind_text16(statement, offset + 3, e.Type.AsSpan()));
        Check(raw.sqlite3_bind_int64(statement, offset + 4, time.UtcTicks));
        Check(e.Source is null ? raw.sqlite3_bind_null(statement, offset + 5) : raw.sqlite3_bind_text16(statement, offset + 5, e.Source.AsSpan()));
        Check(e.Data.IsEmpty ? raw.sqlite3_bind_zeroblob(statement, offset + 6, 0) : raw.sqlite3_bind_blob(statement, offset + 6, e.Data.Span));
    }

    private static void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException($"Binding an event's values failed (SQLite error {result.ToString(CultureInfo.InvariantCulture)}).", result);
        }
    }

    private static string CreateInsertSql(int rows)
    {
        var sql = new StringBuilder("INSERT INTO events (id, topic, type, time, source, data) VALUES ");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ",(");
            for (var column = 1; column <= ColumnsPerRow; column++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"{(column == 1 ? "" : ",")}?{row * ColumnsPerRow + column}");
            }

            sql.Append(')');
        }

        return sql.ToString();
    }
}
