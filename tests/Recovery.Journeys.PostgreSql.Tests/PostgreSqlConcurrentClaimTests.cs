using NodaTime;
using Npgsql;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.TestSupport;
using Recovery.Journeys.Testing;

namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>
/// The engine keeps <see cref="PostgreSqlJourneyStoreOptions.MaxClaimsPerCall"/> claims in flight at once on PostgreSQL,
/// each on a connection of its own, as that many database clients would: observed in the server, and each step still
/// runs once when every journey's next step is due the moment its previous one commits.
/// </summary>
public sealed class PostgreSqlConcurrentClaimTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _schema = TestDatabase.NewSchemaName();
    private readonly string _application = $"rj-claims-{Guid.NewGuid():N}"[..30];

    public Task InitializeAsync() => TestPostgres.EnsureReachableAsync();

    public Task DisposeAsync() => TestPostgres.DropSchemaAsync(_schema);

    [Fact]
    public async Task ClaimsWaitingForALockedTable_AreAllInFlightAtOnce_ThenEachStepRunsOnce()
    {
        const int journeys = 20;
        const int claimsInFlight = 4;
        var clock = new FakeClock();
        await using var store = await TestDatabase.CreateStoreAsync(_schema, o =>
        {
            o.ConnectionString = new NpgsqlConnectionStringBuilder(o.ConnectionString) { ApplicationName = _application }.ConnectionString;
            o.MaxClaimsPerCall = claimsInFlight;
        });
        var channels = new RecordingChannels(clock);
        var engine = new JourneyEngine([Reminders(1)], store, new JourneyHostServices { Channels = channels }, clock);
        for (var i = 0; i < journeys; i++)
        {
            await engine.PublishAsync(new OrderUnpaid($"order-{i}", Customer(i)));
        }

        clock.Advance(Duration.FromDays(1));
        long waiting;
        Task<int> run;
        await using (var blocker = await TestPostgres.OpenConnectionAsync())
        await using (var transaction = await blocker.BeginTransactionAsync())
        {
            // A claim's FOR UPDATE needs the table in ROW SHARE mode: every claim the engine makes now waits for this
            // transaction, so the claims waiting at once are the claims the engine has in flight at once.
            await using (var lockTable = new NpgsqlCommand($"LOCK TABLE {_schema}.journey_instances IN EXCLUSIVE MODE", blocker, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            run = Task.Run(() => engine.RunDueAsync().AsTask());
            waiting = await ClaimsWaitingAsync(claimsInFlight);
            await transaction.CommitAsync();
        }

        var ran = await run.WaitAsync(Timeout);

        waiting.Should().Be(claimsInFlight, "the engine has MaxClaimsPerCall claims in flight at once, no more");
        ran.Should().Be(journeys);
        channels.Sent.Select(s => s.IdempotencyKey).Should().OnlyHaveUniqueItems().And.HaveCount(journeys);
    }

    [Fact]
    public async Task EveryNextStepDueAtOnce_WithSixteenClaimsInFlight_RunsEachStepOnce()
    {
        // Each journey's next step is due the moment its previous one commits, so a claim often meets a row another
        // claimant is committing (PostgreSQL then waits for it, even with SKIP LOCKED). Taking several claims before
        // handing any to a step deadlocked there until the command timeout (docs/stores.md).
        const int journeys = 150;
        const int steps = 3;
        var clock = new FakeClock();
        await using var store = await TestDatabase.CreateStoreAsync(_schema, o => o.MaxClaimsPerCall = 16);
        var channels = new RecordingChannels(clock);
        var engine = new JourneyEngine([Reminders(steps)], store, new JourneyHostServices { Channels = channels }, clock);
        for (var i = 0; i < journeys; i++)
        {
            await engine.PublishAsync(new OrderUnpaid($"order-{i}", Customer(i)));
        }

        clock.Advance(Duration.FromDays(1));
        var ran = 0;
        while (await engine.RunDueAsync().AsTask().WaitAsync(Timeout) is var round and > 0)
        {
            // Until a call finds nothing left: what a call ran is counted whichever call ran it.
            ran += round;
        }

        ran.Should().Be(journeys * steps);
        channels.Sent.Select(s => s.IdempotencyKey).Should().OnlyHaveUniqueItems().And.HaveCount(journeys * steps);
        channels.Sent.GroupBy(s => s.CorrelationKey).Should().HaveCount(journeys).And.OnlyContain(g => g.Count() == steps);
    }

    /// <summary>Counts the store's connections waiting for a lock until <paramref name="expected"/> wait at once (or the timeout).</summary>
    /// <remarks>From a connection of its own, outside any transaction: a transaction sees the server's activity as it was when it first looked.</remarks>
    private async Task<long> ClaimsWaitingAsync(int expected)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await using var connection = await TestPostgres.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = @name AND wait_event_type = 'Lock'",
            connection);
        command.Parameters.AddWithValue("name", _application);
        long waiting = 0;
        while (waiting < expected && !timeout.IsCancellationRequested)
        {
            waiting = (long)(await command.ExecuteScalarAsync(CancellationToken.None))!;
        }

        // Asked once more: a claimant beyond the expected ones would be waiting by now as well.
        return (long)(await command.ExecuteScalarAsync(CancellationToken.None))!;
    }

    private static Customer Customer(int i) => new($"customer-{i}") { Email = $"customer-{i}@example.com" };

    private static JourneyDefinition Reminders(int steps)
    {
        var journey = Journey.When<OrderUnpaid>()
            .Named("concurrent-claims")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .AfterStart(Duration.FromMinutes(30)).Send("reminder-1", c => new Channels.EmailMessage($"Order {c.Event.OrderId}", "<p>1</p>", null));
        for (var step = 2; step <= steps; step++)
        {
            var id = $"reminder-{step}";
            journey = journey.Then().AfterStart(Duration.FromHours(step)).Send(id, c => new Channels.EmailMessage($"Order {c.Event.OrderId}", "<p>-</p>", null));
        }

        return journey.Build();
    }

    public sealed record OrderUnpaid(string OrderId, Customer Customer);
}
