namespace Herald.Sqlite;

/// <summary>
/// SQLite's <c>PRAGMA synchronous</c> setting: how hard the store waits for the disk before a write
/// counts as done. The store always runs in WAL mode.
/// </summary>
public enum SqliteSynchronous
{
    /// <summary>No fsync: fastest, but an operating-system crash or power loss can lose or corrupt recent writes.</summary>
    Off = 0,

    /// <summary>
    /// Fsync only at WAL checkpoints: the database stays consistent, but a power loss can lose the most
    /// recent acknowledged events (a process crash cannot).
    /// </summary>
    Normal = 1,

    /// <summary>Fsync the WAL at every commit: an acknowledged event survives kill -9 and power loss (the default).</summary>
    Full = 2,

    /// <summary>As <see cref="Full"/>, and also fsyncs the directory after deleting journal files.</summary>
    Extra = 3,
}
