using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Herald.Sqlite.Tests;

public sealed class SqliteStoreFailureTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SecondStoreOnTheSamePathFailsNamingTheLockFile()
    {
        var options = _dir.Options();
        await using var first = await Events.OpenAsync(options);
        await using var second = new SqliteEventStore(options);

        var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => second.InitializeAsync(None).Within());

        Assert.Contains(Path.GetFullPath(_dir.DatabasePath) + ".lock", error.Message, StringComparison.Ordinal);
        Assert.Contains("another Herald process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeReleasesTheLock()
    {
        var options = _dir.Options();
        var first = await Events.OpenAsync(options);
        await first.AppendAsync(Events.Batch("a", 1), None).Within();
        await first.DisposeAsync().Within();

        await using var second = await Events.OpenAsync(options);

        Assert.Equal(new EventStoreBounds(1, 1), await second.GetBoundsAsync(None).Within());
    }

    [Fact]
    public async Task AppendWhileAnotherProcessHoldsTheWriteLockIsUnavailableThenRecovers()
    {
        await using var store = await Events.OpenAsync(_dir.Options(o => o.BusyTimeout = TimeSpan.FromMilliseconds(100)));
        await store.AppendAsync(Events.Batch("a", 1), None).Within();

        // A foreign connection (as a sqlite3 shell would) takes the write lock and keeps it.
        await using (var foreign = new SqliteConnection($"Data Source={_dir.DatabasePath};Pooling=False"))
        {
            await foreign.OpenAsync();
            await using var transaction = await foreign.BeginTransactionAsync();
            await using (var command = foreign.CreateCommand())
            {
                command.CommandText = "INSERT INTO meta (key, value) VALUES ('x', 1)";
                await command.ExecuteNonQueryAsync();
            }

            var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.AppendAsync(Events.Batch("a", 1), None).Within());
            Assert.Contains("locked by another process", error.Message, StringComparison.Ordinal);
        }

        var next = await store.AppendAsync(Events.Batch("a", 1), None).Within();
        Assert.Equal(2, next[0].Id);
    }

    [Fact]
    public async Task UncreatableDirectoryFailsInitializeWithAClearMessage()
    {
        // Root ignores chmod, so use a path under a regular file, which no one can create.
        var file = Path.Combine(_dir.Path, "not-a-directory");
        await File.WriteAllTextAsync(file, "x");
        await using var store = new SqliteEventStore(new SqliteStoreOptions { Path = Path.Combine(file, "sub", "herald.db") });

        var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.InitializeAsync(None).Within());

        Assert.Contains("Cannot create the data directory", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(file, "sub"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonDatabaseFileFailsInitializeWithAClearMessage()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_dir.DatabasePath)!);
        await File.WriteAllTextAsync(_dir.DatabasePath, new string('x', 4096));
        await using var store = new SqliteEventStore(_dir.Options());

        var error = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.InitializeAsync(None).Within());

        Assert.Contains("not a valid Herald database", error.Message, StringComparison.Ordinal);

        // A failed start must not keep the lock.
        File.Delete(_dir.DatabasePath);
        await using var retry = await Events.OpenAsync(_dir.Options());
    }

    [Theory]
    [InlineData(nameof(SqliteStoreOptions.MaxEvents))]
    [InlineData(nameof(SqliteStoreOptions.MaxAge))]
    [InlineData(nameof(SqliteStoreOptions.RetentionInterval))]
    [InlineData(nameof(SqliteStoreOptions.BusyTimeout))]
    [InlineData(nameof(SqliteStoreOptions.Path))]
    public void InvalidOptionsAreRejectedNamingTheOption(string option)
    {
        var options = _dir.Options(o =>
        {
            switch (option)
            {
                case nameof(SqliteStoreOptions.MaxEvents):
                    o.MaxEvents = 0;
                    break;
                case nameof(SqliteStoreOptions.MaxAge):
                    o.MaxAge = TimeSpan.Zero;
                    break;
                case nameof(SqliteStoreOptions.RetentionInterval):
                    o.RetentionInterval = TimeSpan.FromSeconds(-1);
                    break;
                case nameof(SqliteStoreOptions.BusyTimeout):
                    o.BusyTimeout = TimeSpan.Zero;
                    break;
                default:
                    o.Path = " ";
                    break;
            }
        });

        var error = Assert.Throws<OptionsValidationException>(() => new SqliteEventStore(options));

        Assert.Contains("SqliteStoreOptions." + option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultsKeepEverythingDurably()
    {
        var options = new SqliteStoreOptions();

        Assert.Equal(Path.Combine("data", "herald.db"), options.Path);
        Assert.Equal(SqliteSynchronous.Full, options.Synchronous);
        Assert.Null(options.MaxEvents);
        Assert.Null(options.MaxAge);
        Assert.Equal(TimeSpan.FromMinutes(1), options.RetentionInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BusyTimeout);
    }
}
