using Microsoft.Data.Sqlite;
using Npgsql;
using Recovery.Journeys.CrashWorker;
using Recovery.Journeys.Ports;
using Recovery.Journeys.PostgreSql;
using Recovery.Journeys.Sqlite;
using Recovery.Journeys.Storage;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Reliability.Tests;

/// <summary>A database the workers share with the test: the journey store and the delivery log in it.</summary>
internal interface IReliabilityDatabase : IAsyncDisposable
{
    /// <summary>"SQLite" or "PostgreSQL", for the report.</summary>
    string Kind { get; }

    /// <summary>
    /// Opens a store on the database for the test's own use: publishing events, reading the outcome. A SQLite store
    /// must be disposed before a worker starts (one process per file).
    /// </summary>
    Task<IJourneyStore> OpenStoreAsync();

    Task CreateDeliveryTableAsync();

    Task<long> CountDeliveriesAsync();

    Task<IReadOnlyList<DeliveryRow>> ReadDeliveriesAsync();

    /// <summary>How many journey instances are still active (read while the workers run).</summary>
    Task<long> CountActiveAsync();

    /// <summary>The worker's command line for this database; with <paramref name="stallAfter"/>, its channel hangs after that many sends.</summary>
    string[] WorkerArguments(string workerName, int concurrency, int? stallAfter = null);
}

/// <summary>A SQLite file in a folder of its own, deleted afterwards.</summary>
internal sealed class SqliteReliabilityDatabase : IReliabilityDatabase
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "recovery-journeys-reliability", Guid.NewGuid().ToString("N"));

    public SqliteReliabilityDatabase() => Directory.CreateDirectory(_folder);

    public string Kind => "SQLite";

    public string Path => System.IO.Path.Combine(_folder, "journeys.db");

    public async Task<IJourneyStore> OpenStoreAsync()
    {
        var store = new SqliteJourneyStore(Path, TimeProvider.System);
        await store.MigrateAsync();
        return store;
    }

    public Task CreateDeliveryTableAsync() => SqliteDeliveryLog.CreateTableAsync(Path);

    public Task<long> CountDeliveriesAsync() => SqliteDeliveryLog.CountAsync(Path);

    public Task<IReadOnlyList<DeliveryRow>> ReadDeliveriesAsync() => SqliteDeliveryLog.ReadAllAsync(Path);

    public async Task<long> CountActiveAsync()
    {
        // A plain read beside the worker's store: WAL mode lets it read while the worker writes.
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM journey_instances WHERE status = 0";
        return (long)(await count.ExecuteScalarAsync())!;
    }

    public string[] WorkerArguments(string workerName, int concurrency, int? stallAfter = null) =>
        ["sqlite", Path, workerName, $"{concurrency}", .. stallAfter is { } n ? [$"{n}"] : Array.Empty<string>()];

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>A schema of its own in the test database that eng/test-services.sh sets up, dropped afterwards.</summary>
internal sealed class PostgreSqlReliabilityDatabase : IReliabilityDatabase
{
    public string Kind => "PostgreSQL";

    public string Schema { get; } = $"rj_reliability_{Guid.NewGuid():N}";

    public static async Task<PostgreSqlReliabilityDatabase> CreateAsync()
    {
        await TestPostgres.EnsureReachableAsync();
        var database = new PostgreSqlReliabilityDatabase();
        await using var store = (PostgreSqlJourneyStore)await database.OpenStoreAsync();
        await store.MigrateAsync();
        return database;
    }

    /// <param name="maxConnections">The test's own pool: publishing and paying in parallel stay within it.</param>
    public Task<IJourneyStore> OpenStoreAsync() => OpenStoreAsync(maxConnections: 8);

    public Task<IJourneyStore> OpenStoreAsync(int maxConnections)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { MaxPoolSize = maxConnections }.ConnectionString;
        return Task.FromResult<IJourneyStore>(new PostgreSqlJourneyStore(new PostgreSqlJourneyStoreOptions { ConnectionString = connectionString, Schema = Schema }, TimeProvider.System));
    }

    public async Task CreateDeliveryTableAsync()
    {
        await using var connection = await TestPostgres.OpenConnectionAsync();
        await PostgreSqlDeliveryLog.CreateTableAsync(connection, Schema);
    }

    public async Task<long> CountDeliveriesAsync()
    {
        await using var connection = await TestPostgres.OpenConnectionAsync();
        return await PostgreSqlDeliveryLog.CountAsync(connection, Schema);
    }

    public async Task<IReadOnlyList<DeliveryRow>> ReadDeliveriesAsync()
    {
        await using var connection = await TestPostgres.OpenConnectionAsync();
        return await PostgreSqlDeliveryLog.ReadAllAsync(connection, Schema);
    }

    public async Task<long> CountActiveAsync()
    {
        await using var connection = await TestPostgres.OpenConnectionAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {Schema}.journey_instances WHERE status = 0", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>The latest wake-up of an active journey, if any.</summary>
    public async Task<NodaTime.Instant?> LatestWakeUpAsync()
    {
        await using var connection = await TestPostgres.OpenConnectionAsync();
        await using var latest = new NpgsqlCommand($"SELECT max(wake_up_at) FROM {Schema}.journey_instances WHERE status = 0", connection);
        return await latest.ExecuteScalarAsync() is long ticks ? NodaTime.Instant.FromUnixTimeTicks(ticks) : null;
    }

    public string[] WorkerArguments(string workerName, int concurrency, int? stallAfter = null) =>
        ["postgres", TestPostgres.ConnectionString, Schema, workerName, $"{concurrency}", .. stallAfter is { } n ? [$"{n}"] : Array.Empty<string>()];

    public async ValueTask DisposeAsync()
    {
        await TestPostgres.DropSchemaAsync(Schema);
    }
}
