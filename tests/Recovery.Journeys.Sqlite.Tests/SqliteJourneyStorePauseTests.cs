using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Sqlite.Schema;
using Recovery.Journeys.Sqlite.Storage;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Sqlite.Tests;

/// <summary>
/// Pauses on SQLite beyond the conformance kit: the claims that pass over paused journeys still walk the due index, and
/// a file of schema version 3 gains the pauses table with its instances kept.
/// </summary>
public sealed class SqliteJourneyStorePauseTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly FakeClock _clock = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData(nameof(SqliteJourneyStore.ClaimDueSql))]
    [InlineData(nameof(SqliteJourneyStore.NextWakeUpSql))]
    public async Task DueQueries_WithThePauseCondition_StillWalkTheDueIndexInOrder(string query)
    {
        await using (var store = new SqliteJourneyStore(_database.Path, TimeProvider.System))
        {
            await store.MigrateAsync();
        }

        var sql = query == nameof(SqliteJourneyStore.ClaimDueSql) ? SqliteJourneyStore.ClaimDueSql : SqliteJourneyStore.NextWakeUpSql;
        await using var connection = await OpenRawAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        explain.Parameters.AddWithValue("@now", 0L);
        explain.Parameters.AddWithValue("@limit", 10L);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        plan.Should().Contain(p => p.Contains("journey_instances USING INDEX journey_instances_due", StringComparison.Ordinal), string.Join(" | ", plan));
        plan.Should().NotContain(p => p.Contains("TEMP B-TREE", StringComparison.Ordinal), "the index gives the order, so the query stops at its limit");
        plan.Should().NotContain(p => p.StartsWith("SCAN journey_instances", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrate_FileAtVersion3_AddsPauses_AndKeepsItsInstances()
    {
        var instance = Instance("order-1", _clock.Now - 1.Minutes());
        await using (var connection = await OpenRawAsync())
        {
            await SqliteSchema.For(_database.Path, version: 3).MigrateAsync(connection, prepare: null, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
            await using var insert = connection.CreateCommand();
            insert.CommandText = SqliteRows.InsertInstance;
            SqliteRows.AddInstanceParameters(insert, instance);
            await insert.ExecuteNonQueryAsync();
        }

        await using var store = new SqliteJourneyStore(_database.Path, TimeProvider.System);
        await store.SetPauseAsync(new JourneyPause("checkout-recovery", _clock.Now, AdmitsNewInstances: true), CancellationToken.None);

        (await store.GetNextWakeUpAsync(CancellationToken.None)).Should().BeNull();
        (await store.ClearPauseAsync("checkout-recovery", _clock.Now, CancellationToken.None))!.HeldInstances.Should().Equal(instance.Id);
        (await store.GetNextWakeUpAsync(CancellationToken.None)).Should().Be(instance.WakeUpAt);
    }

    private JourneyInstance Instance(string key, Instant wakeUpAt) => new()
    {
        Id = JourneyInstanceId.New(),
        JourneyName = "checkout-recovery",
        JourneyVersion = 1,
        CorrelationKey = key,
        CustomerId = "customer-1",
        Trigger = StoredEvent.FromValue(new { OrderId = key }),
        StartedAt = _clock.Now,
        NextStepId = "step-1",
        WakeUpAt = wakeUpAt,
    };

    private async Task<SqliteConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }
}
