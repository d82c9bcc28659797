using Herald.Testing.Contracts;

namespace Herald.Sqlite.Tests.Contracts;

public sealed class SqliteSessionStoreContractTests : SessionStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    protected override async Task<ISessionStore> CreateStoreAsync()
    {
        var store = new SqliteSessionStore(_dir.Options());
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }
}
