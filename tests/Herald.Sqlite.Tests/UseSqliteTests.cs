using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Herald.Sqlite.Tests;

public sealed class UseSqliteTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task UseSqliteReplacesTheStoresWithOnesSharingOneDatabase()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IEventStore>(new InMemoryEventStore());
        services.AddSingleton<ISessionStore, InMemorySessionStore>();
        new TestHeraldBuilder(services).UseSqlite(o => o.Path = _dir.DatabasePath);

        await using (var provider = services.BuildServiceProvider())
        {
            var events = provider.GetRequiredService<IEventStore>();
            var sessions = provider.GetRequiredService<ISessionStore>();
            Assert.IsType<SqliteEventStore>(events);
            Assert.IsType<SqliteSessionStore>(sessions);
            Assert.Single(provider.GetServices<IEventStore>());

            await events.InitializeAsync(None).Within();
            await sessions.InitializeAsync(None).Within();
            await events.AppendAsync(Events.Batch("a", 3), None).Within();
            Assert.Null(await sessions.GetAsync("nobody", None).Within());
        }

        // Disposing the container released the database.
        await using var reopened = await Events.OpenAsync(_dir.Options());
        Assert.Equal(new EventStoreBounds(1, 3), await reopened.GetBoundsAsync(None).Within());
    }

    [Fact]
    public void UseSqliteValidatesOptions()
    {
        var services = new ServiceCollection();
        new TestHeraldBuilder(services).UseSqlite(o => o.MaxEvents = -1);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value);

        Assert.Contains("MaxEvents", error.Message, StringComparison.Ordinal);
    }

    private sealed class TestHeraldBuilder(IServiceCollection services) : IHeraldBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
