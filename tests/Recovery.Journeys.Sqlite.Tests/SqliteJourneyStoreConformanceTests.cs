namespace Recovery.Journeys.Sqlite.Tests;

// The whole file but its namespace is the example of docs/stores.md ("Running the conformance kit on your own store").
// begin-snippet: stores-conformance
using Recovery.Journeys.Ports;
using Recovery.Journeys.Sqlite;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing.Xunit.Conformance;

public sealed class SqliteJourneyStoreConformanceTests : JourneyStoreConformanceTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recovery-journeys-tests-").FullName;

    // Called before each fact: a new, empty store. Take time from Clock if your claims time out.
    protected override async Task<IJourneyStore> CreateStoreAsync()
    {
        var store = new SqliteJourneyStore(Path.Combine(_folder, "journeys.db"), TimeProvider.System);
        await store.MigrateAsync();
        return store;
    }

    // Called after each fact; the default disposes the store. Remove what the fact left.
    protected override async Task DisposeStoreAsync(IJourneyStore store)
    {
        await base.DisposeStoreAsync(store);
        Directory.Delete(_folder, recursive: true);
    }
}
// end-snippet
