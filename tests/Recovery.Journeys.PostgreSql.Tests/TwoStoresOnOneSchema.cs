using Recovery.Journeys.TestSupport;
using Recovery.Journeys.Testing;

namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>
/// Two stores on one schema of the test's own, as two app instances (two processes) would have, dropped afterwards.
/// </summary>
public abstract class TwoStoresOnOneSchema : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    protected string Schema { get; } = TestDatabase.NewSchemaName();

    protected FakeClock Clock { get; } = new();

    protected PostgreSqlJourneyStore First { get; private set; } = null!;

    protected PostgreSqlJourneyStore Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        First = await TestDatabase.CreateStoreAsync(Schema);
        Second = await TestDatabase.CreateStoreAsync(Schema);
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await TestPostgres.DropSchemaAsync(Schema);
    }
}
