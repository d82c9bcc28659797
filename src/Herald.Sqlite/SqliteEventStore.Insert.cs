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
        var id = _lastId;
        var next = 0;
        for (var size = 0; size < RowsPerStatement.Length; size++)
        {
            var rows = RowsPerStatement[size];
            if (events.Count - next < rows)
            {
                continue;
            }

            var statement = _database.GetWriterStatement(InsertSql[size]);
            while (events.Count - next >= rows)
            {
                for (var row = 0; row < rows; row++, next++)
                {
                    var e = events[next];
                    var time = e.Time ?? now;
                    Bind(statement, row * ColumnsPerRow, ++id, e, time);
                    stored[next] = new HeraldEvent(id, e.Topic, e.Type, time, e.Source, e.Data, now);
                }

                _database.Step(statement);
            }
        }

        return stored;
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
