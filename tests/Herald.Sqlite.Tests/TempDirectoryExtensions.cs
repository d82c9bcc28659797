namespace Herald.Sqlite.Tests;

/// <summary>Store options pointing into a test's temp directory.</summary>
public static class TempDirectoryExtensions
{
    public static SqliteStoreOptions Options(this TempDirectory directory, Action<SqliteStoreOptions>? configure = null)
    {
        var options = new SqliteStoreOptions { Path = directory.DatabasePath };
        configure?.Invoke(options);
        return options;
    }
}
