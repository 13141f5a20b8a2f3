using Npgsql;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>
/// The store tests' side of <see cref="TestPostgres"/>: a migrated store in a schema of the test's own, and killing a
/// server process as a crash would.
/// </summary>
internal static class TestDatabase
{
    public static string NewSchemaName() => TestPostgres.NewSchemaName("rj_test");

    public static async Task<PostgreSqlJourneyStore> CreateStoreAsync(string schema, Action<PostgreSqlJourneyStoreOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        await TestPostgres.EnsureReachableAsync();
        var options = new PostgreSqlJourneyStoreOptions { ConnectionString = TestPostgres.ConnectionString, Schema = schema };
        configure?.Invoke(options);
        var store = new PostgreSqlJourneyStore(options, timeProvider ?? TimeProvider.System);
        await store.MigrateAsync();
        return store;
    }

    /// <summary>Kills a server process as a crash would close its connection, and returns once it is gone.</summary>
    public static async Task TerminateBackendAsync(int processId)
    {
        await using var connection = await TestPostgres.OpenConnectionAsync();
        await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(@pid, 10000)", connection);
        terminate.Parameters.AddWithValue("pid", processId);
        var terminated = (bool)(await terminate.ExecuteScalarAsync())!;
        if (!terminated)
        {
            throw new InvalidOperationException($"PostgreSQL process {processId} did not end within 10 s.");
        }
    }
}
