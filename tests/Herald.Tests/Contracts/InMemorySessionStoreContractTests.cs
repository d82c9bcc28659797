using Herald.Testing.Contracts;

namespace Herald.Tests.Contracts;

public sealed class InMemorySessionStoreContractTests : SessionStoreContract
{
    protected override async Task<ISessionStore> CreateStoreAsync()
    {
        var store = new InMemorySessionStore();
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }
}
