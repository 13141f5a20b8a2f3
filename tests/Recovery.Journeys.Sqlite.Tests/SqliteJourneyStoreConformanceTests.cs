using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing.Conformance;

namespace Recovery.Journeys.Sqlite.Tests;

/// <summary>The SQLite store passes the conformance kit on a real file. Its claims last as long as the store, so no lease facts.</summary>
public sealed class SqliteJourneyStoreConformanceTests : JourneyStoreConformanceTests
{
    private readonly TempDatabase _database = new();

    protected override async Task<IJourneyStore> CreateStoreAsync()
    {
        var store = new SqliteJourneyStore(_database.Path, TimeProvider.System);
        await store.MigrateAsync();
        return store;
    }

    protected override async Task DisposeStoreAsync(IJourneyStore store)
    {
        await base.DisposeStoreAsync(store);
        _database.Dispose();
    }
}
