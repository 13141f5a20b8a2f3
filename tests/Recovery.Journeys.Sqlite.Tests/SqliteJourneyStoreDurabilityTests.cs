using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Sqlite.Schema;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Sqlite.Tests;

/// <summary>What the SQLite store keeps across a restart, and what it does with the file.</summary>
public sealed class SqliteJourneyStoreDurabilityTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly FakeClock _clock = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Reopen_AfterDispose_KeepsInstancesTimelinesAndWakeUps()
    {
        var active = Instance("order-1", _clock.Now + 5.Minutes());
        var ended = Instance("order-2", _clock.Now);
        await using (var store = new SqliteJourneyStore(_database.Path, TimeProvider.System))
        {
            await store.TryStartAsync(Entered(active), CancellationToken.None);
            await store.TryStartAsync(Entered(ended), CancellationToken.None);
            var claim = (await store.ClaimDueAsync(_clock.Now, 10, CancellationToken.None)).Single();
            await claim.CommitAsync(new JourneyTransition(claim.Instance with { Status = JourneyStatus.Completed, WakeUpAt = null, NextStepId = null, EndedAt = _clock.Now, EndReason = "completed" }, [Record(ended, JourneyRecordKind.Completed)]), CancellationToken.None);
        }

        await using var reopened = new SqliteJourneyStore(_database.Path, TimeProvider.System);

        (await reopened.GetAsync(active.Id, CancellationToken.None)).Should().BeEquivalentTo(active, o => o.Excluding(i => i.Trigger));
        (await reopened.GetAsync(ended.Id, CancellationToken.None))!.Status.Should().Be(JourneyStatus.Completed);
        (await reopened.GetTimelineAsync(ended.Id, CancellationToken.None)).Select(r => r.Kind).Should().Equal(JourneyRecordKind.Entered, JourneyRecordKind.Completed);
        (await reopened.GetNextWakeUpAsync(CancellationToken.None)).Should().Be(active.WakeUpAt);
        (await reopened.TryStartAsync(Entered(Instance("order-1", _clock.Now)), CancellationToken.None)).ActiveInstanceId.Should().Be(active.Id);
    }

    [Fact]
    public async Task Reopen_ClaimHeldWhenTheStoreStopped_IsDueAgainForTheSameStep()
    {
        var instance = Instance("order-1", _clock.Now);
        var store = new SqliteJourneyStore(_database.Path, TimeProvider.System);
        await store.TryStartAsync(Entered(instance), CancellationToken.None);
        var claim = (await store.ClaimDueAsync(_clock.Now, 10, CancellationToken.None)).Single();

        // As in a crash: the store goes away between the send and the commit.
        await store.DisposeAsync();
        var lateCommit = async () => await claim.CommitAsync(new JourneyTransition(claim.Instance with { NextStepId = "step-2" }, []), CancellationToken.None);
        await lateCommit.Should().ThrowAsync<ObjectDisposedException>();

        await using var restarted = new SqliteJourneyStore(_database.Path, TimeProvider.System);
        var retry = (await restarted.ClaimDueAsync(_clock.Now, 10, CancellationToken.None)).Should().ContainSingle().Subject;
        retry.Instance.Id.Should().Be(instance.Id);
        retry.Instance.NextStepId.Should().Be("step-1", "the retry runs the same step, so it carries the same idempotency key");
        (await restarted.GetTimelineAsync(instance.Id, CancellationToken.None)).Should().ContainSingle();
        await retry.DisposeAsync();
    }

    [Fact]
    public async Task Migrate_EmptyFile_CreatesTheSchemaInWalMode()
    {
        await File.WriteAllBytesAsync(_database.Path, []);

        await using (var store = new SqliteJourneyStore(_database.Path, TimeProvider.System))
        {
            await store.MigrateAsync();
            await store.TryStartAsync(Entered(Instance("order-1", _clock.Now)), CancellationToken.None);
        }

        await using var connection = await OpenRawAsync();
        (await ScalarAsync(connection, "PRAGMA journal_mode")).Should().Be("wal");
        (await ScalarAsync(connection, "SELECT version FROM journey_schema_version")).Should().Be(5L);
        (await ScalarAsync(connection, "SELECT count(*) FROM journey_instances")).Should().Be(1L);
        (await ScalarAsync(connection, "SELECT count(*) FROM journey_records")).Should().Be(1L);
    }

    [Fact]
    public async Task Migrate_FileAtTheCurrentVersion_LeavesItAsItIs()
    {
        await using (var store = new SqliteJourneyStore(_database.Path, TimeProvider.System))
        {
            await store.TryStartAsync(Entered(Instance("order-1", _clock.Now)), CancellationToken.None);
        }

        await using (var again = new SqliteJourneyStore(_database.Path, TimeProvider.System))
        {
            await again.MigrateAsync();
            (await again.FindAsync(new JourneyInstanceQuery(), CancellationToken.None)).Should().ContainSingle();
        }

        await using var connection = await OpenRawAsync();
        (await ScalarAsync(connection, "SELECT count(*) FROM journey_schema_version")).Should().Be(1L);
    }

    [Fact]
    public async Task Migrate_FileAtVersion2_KeepsItsInstances_AndAnEndedInstancesLeftoverWakeUpIsNotDue()
    {
        var active = Instance("order-1", _clock.Now + 5.Minutes());
        var ended = Instance("order-2", _clock.Now - 1.Hours()) with { Status = JourneyStatus.Completed, EndedAt = _clock.Now, EndReason = "completed" };
        await using (var connection = await OpenRawAsync())
        {
            await SqliteSchema.For(_database.Path, version: 2).MigrateAsync(connection, prepare: null, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
            await InsertVersion2RowAsync(connection, active);
            await InsertVersion2RowAsync(connection, ended);
        }

        await using var store = new SqliteJourneyStore(_database.Path, TimeProvider.System);

        (await store.GetAsync(active.Id, CancellationToken.None)).Should().BeEquivalentTo(active, o => o.Excluding(i => i.Trigger));
        (await store.GetAsync(ended.Id, CancellationToken.None))!.WakeUpAt.Should().BeNull("an instance ended before version 3 has no exit actions to run");
        (await store.GetNextWakeUpAsync(CancellationToken.None)).Should().Be(active.WakeUpAt);
        await store.ExitAsync(new RememberedExit("checkout-recovery", "order-3", "OrderPaid", _clock.Now, _clock.Now + 7.Days()), _ => null, CancellationToken.None);
        (await store.TryStartAsync(Entered(Instance("order-3", _clock.Now)) with { Refusal = exit => new JourneyTransition(Instance("order-3", _clock.Now) with { Status = JourneyStatus.Exited, WakeUpAt = null }, []) }, CancellationToken.None))
            .IsRefused.Should().BeTrue();
    }

    [Fact]
    public async Task Migrate_FileAtVersion4_IndexesTheEndedInstances_WhichThePurgeReadsAndStillPurges()
    {
        var ended = Instance("order-2", _clock.Now - 1.Hours()) with { Status = JourneyStatus.Completed, WakeUpAt = null, EndedAt = _clock.Now - 100.Days(), EndReason = "completed" };
        var active = Instance("order-1", _clock.Now + 5.Minutes());
        await using (var connection = await OpenRawAsync())
        {
            await SqliteSchema.For(_database.Path, version: 4).MigrateAsync(connection, prepare: null, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
            await InsertVersion2RowAsync(connection, ended);
            await InsertVersion2RowAsync(connection, active);
        }

        await using var store = new SqliteJourneyStore(_database.Path, TimeProvider.System);
        await store.MigrateAsync();

        await using (var connection = await OpenRawAsync())
        {
            (await ScalarAsync(connection, "SELECT max(version) FROM journey_schema_version")).Should().Be(5L);
            await using var plan = connection.CreateCommand();
            plan.CommandText = "EXPLAIN QUERY PLAN " + SqliteJourneyStore.PurgeCandidatesSql;
            plan.Parameters.AddWithValue("@before", _clock.Now.ToUnixTimeTicks());
            plan.Parameters.AddWithValue("@limit", 10);
            var steps = new List<string>();
            await using var reader = await plan.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                steps.Add(reader.GetString(3));
            }

            steps.Should().ContainSingle().Which.Should().Contain("USING INDEX journey_instances_ended", "the purge reads the index, in its order, without a sort");
        }

        (await store.PurgeEndedAsync(_clock.Now - 90.Days(), 10, CancellationToken.None)).Should().Be(1);
        (await store.GetAsync(ended.Id, CancellationToken.None)).Should().BeNull();
        (await store.GetAsync(active.Id, CancellationToken.None)).Should().NotBeNull();
    }

    [Fact]
    public async Task Migrate_SchemaNewerThanThePackage_FailsNamingBothVersions()
    {
        await using (var connection = await OpenRawAsync())
        {
            await ScalarAsync(connection, "CREATE TABLE journey_schema_version (version INTEGER NOT NULL); INSERT INTO journey_schema_version VALUES (99)");
        }

        await using var store = new SqliteJourneyStore(_database.Path, TimeProvider.System);
        var migrate = () => store.MigrateAsync();

        (await migrate.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("*schema version 99, newer than version 5*Upgrade the package*");
        var use = async () => await store.GetNextWakeUpAsync(CancellationToken.None);
        await use.Should().ThrowAsync<InvalidOperationException>("every use reports it, not only the first");
    }

    [Fact]
    public async Task Migrate_FileOpenInAnotherStore_FailsUntilThatStoreIsDisposed()
    {
        var first = new SqliteJourneyStore(_database.Path, TimeProvider.System);
        await first.MigrateAsync();
        await using var second = new SqliteJourneyStore(_database.Path, TimeProvider.System);

        var migrate = () => second.MigrateAsync();

        (await migrate.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*already open in another store*PostgreSql*");
        await first.DisposeAsync();
        await second.MigrateAsync();
        (await second.GetNextWakeUpAsync(CancellationToken.None)).Should().BeNull();
    }

    private JourneyInstance Instance(string key, Instant wakeUpAt) => new()
    {
        Id = JourneyInstanceId.New(),
        JourneyName = "checkout-recovery",
        JourneyVersion = 3,
        CorrelationKey = key,
        CustomerId = "customer-1",
        Trigger = StoredEvent.FromValue(new { OrderId = key }),
        StartedAt = _clock.Now,
        NextStepId = "step-1",
        WakeUpAt = wakeUpAt,
    };

    private static JourneyStart Entered(JourneyInstance instance) =>
        new(new JourneyTransition(instance, [Record(instance, JourneyRecordKind.Entered)]), _ => throw new InvalidOperationException("no exit is remembered in these tests"));

    /// <summary>Writes an instance as version 2 of the schema had it (no <c>step_due_at</c>).</summary>
    private static async Task InsertVersion2RowAsync(SqliteConnection connection, JourneyInstance instance)
    {
        await using var command = connection.CreateCommand();
        command.CommandText =
            "INSERT INTO journey_instances (id, journey_name, journey_version, correlation_key, customer_id, trigger_json, started_at, status, " +
            "next_step_id, wake_up_at, ended_at, end_reason, variables_json) VALUES (@id, @journey_name, @journey_version, @correlation_key, " +
            "@customer_id, @trigger_json, @started_at, @status, @next_step_id, @wake_up_at, @ended_at, @end_reason, '{}')";
        command.Parameters.AddWithValue("@id", instance.Id.ToString());
        command.Parameters.AddWithValue("@journey_name", instance.JourneyName);
        command.Parameters.AddWithValue("@journey_version", instance.JourneyVersion);
        command.Parameters.AddWithValue("@correlation_key", instance.CorrelationKey);
        command.Parameters.AddWithValue("@customer_id", instance.CustomerId);
        command.Parameters.AddWithValue("@trigger_json", instance.Trigger.ToJson());
        command.Parameters.AddWithValue("@started_at", instance.StartedAt.ToUnixTimeTicks());
        command.Parameters.AddWithValue("@status", (int)instance.Status);
        command.Parameters.AddWithValue("@next_step_id", instance.NextStepId);
        command.Parameters.AddWithValue("@wake_up_at", (object?)instance.WakeUpAt?.ToUnixTimeTicks() ?? DBNull.Value);
        command.Parameters.AddWithValue("@ended_at", (object?)instance.EndedAt?.ToUnixTimeTicks() ?? DBNull.Value);
        command.Parameters.AddWithValue("@end_reason", (object?)instance.EndReason ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }

    private static JourneyRecord Record(JourneyInstance instance, JourneyRecordKind kind) => new(instance.Id, instance.JourneyName, instance.StartedAt, kind);

    private async Task<SqliteConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
