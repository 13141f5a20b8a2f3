using Recovery.Journeys.Ports;
using Recovery.Journeys.PostgreSql.Storage;
using Recovery.Journeys.Storage;
using Recovery.Journeys.TestSupport;
using Recovery.Journeys.Testing.Conformance;

namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL store passes the conformance kit, lease facts included, on the real server: each fact in a schema of
/// its own. A claim lapses the way it does when its worker dies: its connection is killed.
/// </summary>
public sealed class PostgreSqlJourneyStoreConformanceTests : LeasedJourneyStoreConformanceTests
{
    private readonly string _schema = TestDatabase.NewSchemaName();

    protected override async Task<IJourneyStore> CreateStoreAsync() => await TestDatabase.CreateStoreAsync(_schema);

    protected override async Task DisposeStoreAsync(IJourneyStore store)
    {
        await base.DisposeStoreAsync(store);
        await TestPostgres.DropSchemaAsync(_schema);
    }

    protected override Task ExpireClaimAsync(IJourneyClaim claim) =>
        TestDatabase.TerminateBackendAsync(((PostgreSqlClaim)claim).ProcessId);
}
