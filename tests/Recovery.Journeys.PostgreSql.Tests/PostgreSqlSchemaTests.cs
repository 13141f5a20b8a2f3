using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Recovery.Journeys.PostgreSql.Schema;
using Recovery.Journeys.Storage;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>The package creates and migrates its schema, once, and refuses one it does not know.</summary>
public sealed class PostgreSqlSchemaTests : IAsyncLifetime
{
    private readonly string _schema = TestDatabase.NewSchemaName();

    public Task InitializeAsync() => TestPostgres.EnsureReachableAsync();

    public Task DisposeAsync() => TestPostgres.DropSchemaAsync(_schema);

    [Fact]
    public async Task Migrate_SeveralInstancesStartingTogetherOnAnEmptyDatabase_CreateTheSchemaOnce()
    {
        var stores = Enumerable.Range(0, 4)
            .Select(_ => new PostgreSqlJourneyStore(new PostgreSqlJourneyStoreOptions { ConnectionString = TestPostgres.ConnectionString, Schema = _schema }, TimeProvider.System))
            .ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync())));

        (await ScalarAsync($"SELECT string_agg(version::text, ',') FROM {_schema}.journey_schema_version")).Should().Be("5");
        (await ScalarAsync($"SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = '{_schema}'"))
            .Should().Be("journey_exits,journey_instances,journey_pauses,journey_records,journey_schema_version");
        (await stores[0].GetNextWakeUpAsync(CancellationToken.None)).Should().BeNull();
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Migrate_SchemaAtVersion2_KeepsItsInstances_AndAnEndedInstancesLeftoverWakeUpIsNotDue()
    {
        var now = SystemClock.Instance.GetCurrentInstant();
        var active = Guid.NewGuid();
        var ended = Guid.NewGuid();
        await using (var dataSource = NpgsqlDataSource.Create(TestPostgres.ConnectionString))
        {
            await PostgreSqlSchema.MigrateAsync(dataSource, _schema, TimeProvider.System, NullLogger.Instance, CancellationToken.None, version: 2);
        }

        // As version 2 left them: an active instance due in 5 minutes, and one ended with its wake-up an hour ago left set.
        await using (var connection = await TestPostgres.OpenConnectionAsync())
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO {_schema}.journey_instances (id, journey_name, journey_version, correlation_key, trigger_json, started_at, status, next_step_id, wake_up_at, variables) " +
            "VALUES (@active, 'checkout-recovery', 1, 'order-1', @trigger, @now, 0, 'step-1', @due, '{}'), (@ended, 'checkout-recovery', 1, 'order-2', @trigger, @now, 1, 'step-1', @past, '{}')",
            connection))
        {
            insert.Parameters.AddWithValue("active", active);
            insert.Parameters.AddWithValue("ended", ended);
            insert.Parameters.Add(new NpgsqlParameter("trigger", NpgsqlTypes.NpgsqlDbType.Jsonb) { Value = StoredEvent.FromValue(new { OrderId = "order-1" }).ToJson() });
            insert.Parameters.AddWithValue("now", now.ToUnixTimeTicks());
            insert.Parameters.AddWithValue("due", (now + Duration.FromMinutes(5)).ToUnixTimeTicks());
            insert.Parameters.AddWithValue("past", (now - Duration.FromHours(1)).ToUnixTimeTicks());
            await insert.ExecuteNonQueryAsync();
        }

        await using var store = new PostgreSqlJourneyStore(new PostgreSqlJourneyStoreOptions { ConnectionString = TestPostgres.ConnectionString, Schema = _schema }, TimeProvider.System);
        await store.MigrateAsync();

        (await ScalarAsync($"SELECT string_agg(version::text, ',') FROM {_schema}.journey_schema_version")).Should().Be("5");
        (await store.GetNextWakeUpAsync(CancellationToken.None)).Should().Be(now + Duration.FromMinutes(5), "an instance ended before version 3 has no exit actions to run");
        var kept = await store.GetAsync(new JourneyInstanceId(active), CancellationToken.None);
        kept!.NextStepId.Should().Be("step-1");
        kept.StepDueAt.Should().BeNull();
        (await store.GetAsync(new JourneyInstanceId(ended), CancellationToken.None))!.WakeUpAt.Should().BeNull();
    }

    [Fact]
    public async Task Migrate_SchemaAtVersion4_IndexesTheEndedInstances_WhichThePurgeReads()
    {
        await using (var dataSource = NpgsqlDataSource.Create(TestPostgres.ConnectionString))
        {
            await PostgreSqlSchema.MigrateAsync(dataSource, _schema, TimeProvider.System, NullLogger.Instance, CancellationToken.None, version: 4);
        }

        await using var store = new PostgreSqlJourneyStore(new PostgreSqlJourneyStoreOptions { ConnectionString = TestPostgres.ConnectionString, Schema = _schema }, TimeProvider.System);
        await store.MigrateAsync();

        (await ScalarAsync($"SELECT string_agg(version::text, ',') FROM {_schema}.journey_schema_version")).Should().Be("5");
        (await ScalarAsync($"SELECT indexdef FROM pg_indexes WHERE schemaname = '{_schema}' AND indexname = 'journey_instances_ended'") as string)
            .Should().Contain("(ended_at, seq) WHERE ((status <> 0) AND (wake_up_at IS NULL))");

        // An empty table is read whole whatever its indexes: with sequential scans off, the plan shows the index fits the query.
        await using var connection = await TestPostgres.OpenConnectionAsync();
        await using var plan = new NpgsqlCommand(
            $"SET enable_seqscan = off; EXPLAIN SELECT id FROM {_schema}.journey_instances WHERE status <> 0 AND wake_up_at IS NULL AND ended_at < 100 ORDER BY ended_at, seq LIMIT 10",
            connection);
        var lines = new List<string>();
        await using (var reader = await plan.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }

        string.Join("\n", lines).Should().Contain("Index Scan using journey_instances_ended").And.NotContain("Sort");
    }

    [Fact]
    public async Task Migrate_RoleWithoutCreateOnTheDatabase_RunsInASchemaCreatedForIt()
    {
        var role = $"rj_role_{Guid.NewGuid():N}";
        await ScalarAsync($"CREATE ROLE {role} LOGIN PASSWORD 'app'; CREATE SCHEMA {_schema}; GRANT USAGE, CREATE ON SCHEMA {_schema} TO {role}");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Username = role, Password = "app" }.ConnectionString;
            await using var store = new PostgreSqlJourneyStore(new PostgreSqlJourneyStoreOptions { ConnectionString = connectionString, Schema = _schema }, TimeProvider.System);

            await store.MigrateAsync();

            (await store.GetNextWakeUpAsync(CancellationToken.None)).Should().BeNull();
        }
        finally
        {
            await TestPostgres.DropSchemaAsync(_schema);
            await ScalarAsync($"DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task Migrate_SchemaNewerThanThePackage_FailsNamingBothVersions()
    {
        await ScalarAsync($"CREATE SCHEMA {_schema}; CREATE TABLE {_schema}.journey_schema_version (version integer NOT NULL); INSERT INTO {_schema}.journey_schema_version VALUES (7)");
        await using var store = new PostgreSqlJourneyStore(new PostgreSqlJourneyStoreOptions { ConnectionString = TestPostgres.ConnectionString, Schema = _schema }, TimeProvider.System);

        var migrate = () => store.MigrateAsync();
        var use = async () => await store.GetNextWakeUpAsync(CancellationToken.None);

        (await migrate.Should().ThrowAsync<InvalidOperationException>()).WithMessage($"*'{_schema}' has schema version 7, newer than version 5*Upgrade the package*");
        await use.Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public void Create_InvalidOptions_ReportsEveryFailureAtOnce()
    {
        var options = new PostgreSqlJourneyStoreOptions { ConnectionString = "", Schema = "Journeys; DROP", MaxClaimDuration = Duration.Zero, MaxClaimsPerCall = 0 };

        var create = () => new PostgreSqlJourneyStore(options, TimeProvider.System);

        create.Should().Throw<OptionsValidationException>().Which.Failures.Should().SatisfyRespectively(
            f => f.Should().StartWith("PostgreSqlJourneyStoreOptions.ConnectionString must be set"),
            f => f.Should().StartWith("PostgreSqlJourneyStoreOptions.Schema must be lower-case"),
            f => f.Should().StartWith("PostgreSqlJourneyStoreOptions.MaxClaimDuration must be at least"),
            f => f.Should().StartWith("PostgreSqlJourneyStoreOptions.MaxClaimsPerCall must be between"));
    }

    [Fact]
    public void UsePostgreSqlStore_InvalidOptions_FailValidationWhenResolved()
    {
        var services = new ServiceCollection();
        services.AddRecoveryJourneys(journeys => journeys.UsePostgreSqlStore(o => o.ConnectionString = ""));
        using var provider = services.BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<IOptions<PostgreSqlJourneyStoreOptions>>().Value;

        resolve.Should().Throw<OptionsValidationException>().WithMessage("*PostgreSqlJourneyStoreOptions.ConnectionString must be set*");
    }

    private static async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await TestPostgres.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
