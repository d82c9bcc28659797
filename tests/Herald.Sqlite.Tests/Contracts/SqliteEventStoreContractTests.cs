using Herald.Testing.Contracts;

namespace Herald.Sqlite.Tests.Contracts;

public sealed class SqliteEventStoreContractTests : EventStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    protected override async Task<IEventStore> CreateStoreAsync() => await Events.OpenAsync(_dir.Options());
}
