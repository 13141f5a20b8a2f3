using Npgsql;
using Recovery.Journeys.Ports;
using Recovery.Journeys.PostgreSql.Storage;
using Recovery.Journeys.Storage;
using Recovery.Journeys.TestSupport;
using Recovery.Journeys.Testing.Xunit.Conformance;

namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL store passes the conformance kit, lease facts included, on the real server: each fact in a schema of
/// its own. A claim lapses the way it does when its worker dies: its connection is killed.
/// </summary>
public sealed class PostgreSqlJourneyStoreConformanceTests : LeasedJourneyStoreConformanceTests
{
    private readonly string _schema = TestDatabase.NewSchemaName();

    // The race facts run 100 starts and exits at once, each holding a connection while it waits for its key's lock:
    // a pool of 20 queues them in the client, instead of their taking most of the connections of a server
    // (max_connections 100 by default) that the test classes running in parallel share. The most any fact holds at
    // once, six workers' claims, stays well below it.
    protected override async Task<IJourneyStore> CreateStoreAsync() =>
        await TestDatabase.CreateStoreAsync(_schema, o => o.ConnectionString = new NpgsqlConnectionStringBuilder(o.ConnectionString) { MaxPoolSize = 20 }.ConnectionString);

    protected override async Task DisposeStoreAsync(IJourneyStore store)
    {
        await base.DisposeStoreAsync(store);
        await TestPostgres.DropSchemaAsync(_schema);
    }

    protected override Task ExpireClaimAsync(IJourneyClaim claim) =>
        TestDatabase.TerminateBackendAsync(((PostgreSqlClaim)claim).ProcessId);
}
