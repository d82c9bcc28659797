using System.Text;

namespace Herald.Sqlite.Tests;

/// <summary>Builds test events and opens stores.</summary>
public static class Events
{
    public static NewEvent On(string topic, int n = 0, DateTimeOffset? time = null)
        => new(topic, "test", Encoding.UTF8.GetBytes($"{{\"n\":{n}}}")) { Time = time };

    public static IReadOnlyList<NewEvent> Batch(string topic, int count, int start = 0, DateTimeOffset? time = null)
        => Enumerable.Range(start, count).Select(i => On(topic, i, time)).ToArray();

    public static async Task<SqliteEventStore> OpenAsync(SqliteStoreOptions options, TimeProvider? time = null)
    {
        var store = new SqliteEventStore(options, time);
        await store.InitializeAsync(CancellationToken.None).Within();
        return store;
    }

    public static EventQuery Query(long afterId, int limit, params string[] filters)
        => new(afterId, limit, filters.Select(TopicFilter.Parse).ToArray());
}
