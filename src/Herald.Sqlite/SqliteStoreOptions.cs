namespace Herald.Sqlite;

/// <summary>Settings for the SQLite event and session stores.</summary>
/// <remarks>
/// By default the store keeps every event forever: set <see cref="MaxEvents"/>, <see cref="MaxAge"/>
/// or both to bound it. Values are checked when the store starts.
/// </remarks>
public sealed class SqliteStoreOptions
{
    /// <summary>
    /// The database file. Default <c>data/herald.db</c>, relative to the current directory. Its directory is
    /// created on first run; a lock file (<c>&lt;Path&gt;.lock</c>) beside it keeps a second Herald process out.
    /// </summary>
    public string Path { get; set; } = System.IO.Path.Combine("data", "herald.db");

    /// <summary>
    /// How hard each commit waits for the disk. Default <see cref="SqliteSynchronous.Full"/>: an acknowledged
    /// event survives kill -9 and power loss.
    /// </summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>
    /// The most events kept; older ones are deleted by the retention loop. Default <see langword="null"/>:
    /// no count limit. Must be at least 1 when set.
    /// </summary>
    public long? MaxEvents { get; set; }

    /// <summary>
    /// How long events are kept, measured from their <see cref="HeraldEvent.Time"/>; older ones are deleted by
    /// the retention loop, oldest id first. Deletion stops at the first event still inside the limit, so an
    /// event dated in the future keeps those stored after it (set <see cref="MaxEvents"/> too for a hard bound).
    /// Default <see langword="null"/>: no age limit. Must be positive when set.
    /// </summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>
    /// How often the retention loop runs when <see cref="MaxEvents"/> or <see cref="MaxAge"/> is set.
    /// Default 1 minute; must be positive.
    /// </summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a statement waits for a lock held by another connection before failing. Default 5 seconds;
    /// must be positive.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
