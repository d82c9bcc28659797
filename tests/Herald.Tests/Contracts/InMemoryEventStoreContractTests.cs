using Herald.Testing.Contracts;

namespace Herald.Tests.Contracts;

public sealed class InMemoryEventStoreContractTests : EventStoreContract
{
    protected override async Task<IEventStore> CreateStoreAsync()
    {
        var store = new InMemoryEventStore();
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }
}
