using Npgsql;
using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.TestSupport;
using Recovery.Journeys.Testing;
using Xunit.Abstractions;

namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>The store's pool stays below the server's <c>max_connections</c>: a burst of publishes waits for a connection instead of failing.</summary>
public sealed class PostgreSqlPoolTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Publishers = 400;
    private readonly string _schema = TestDatabase.NewSchemaName();
    private readonly string _application = $"rj-pool-{Guid.NewGuid():N}"[..30];

    public Task InitializeAsync() => TestPostgres.EnsureReachableAsync();

    public Task DisposeAsync() => TestPostgres.DropSchemaAsync(_schema);

    [Fact]
    public async Task Publish_400AtOnce_WaitForThePoolAndNoneFailsWithTooManyClients()
    {
        await using var store = await TestDatabase.CreateStoreAsync(_schema, o => o.ConnectionString = new NpgsqlConnectionStringBuilder(o.ConnectionString) { ApplicationName = _application }.ConnectionString);
        await using var watcher = await TestPostgres.OpenConnectionAsync();
        var allowed = await AllowedConnectionsAsync(watcher);
        store.PoolSize.Should().Be(Math.Clamp(allowed / 4, 2, 100), "by default the pool is a quarter of the connections the server allows");
        var engine = new JourneyEngine([Reminder()], store, new JourneyHostServices { Channels = new RecordingChannels(TimeProvider.System) }, new FakeClock());

        using var stop = new CancellationTokenSource();
        var peak = Task.Run(() => PeakConnectionsAsync(watcher, stop.Token));
        var publishes = Enumerable.Range(0, Publishers)
            .Select(i => Task.Run(async () => await engine.PublishAsync(new OrderUnpaid($"order-{i}", new Customer($"customer-{i}") { Email = $"customer-{i}@example.com" }))))
            .ToList();
        var failures = new List<Exception>();
        foreach (var publish in publishes)
        {
            try
            {
                (await publish).Started.Should().ContainSingle();
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                failures.Add(e);
            }
        }

        await stop.CancelAsync();
        var peakConnections = await peak;
        output.WriteLine($"{Publishers} concurrent publishes: pool of {store.PoolSize} for {allowed} allowed connections, at most {peakConnections} of the store's connections seen at once.");

        failures.Should().BeEmpty("every publish waits for a pooled connection; none may fail with 53300 (too many clients) or a pool timeout");
        failures.OfType<PostgresException>().Where(e => e.SqlState == PostgresErrorCodes.TooManyConnections).Should().BeEmpty();
        peakConnections.Should().BeLessThanOrEqualTo(store.PoolSize);
        (await store.FindAsync(new JourneyInstanceQuery(JourneyName: "pool-reminder"), CancellationToken.None)).Should().HaveCount(Publishers);
    }

    [Fact]
    public async Task MaxPoolSize_SetInTheOptions_IsThePoolSize_AndClaimsLeaveAQuarterFree()
    {
        await using var store = await TestDatabase.CreateStoreAsync(_schema, o => (o.MaxPoolSize, o.MaxClaimsPerCall) = (4, 100));
        var clock = new FakeClock();
        for (var i = 0; i < 6; i++)
        {
            var instance = new JourneyInstance
            {
                Id = JourneyInstanceId.New(),
                JourneyName = "pool-reminder",
                JourneyVersion = 1,
                CorrelationKey = $"order-{i}",
                Trigger = StoredEvent.FromValue(new { OrderId = $"order-{i}" }),
                StartedAt = clock.Now,
                NextStepId = "step-1",
                WakeUpAt = clock.Now,
            };
            await store.TryStartAsync(new JourneyStart(new JourneyTransition(instance, []), _ => throw new InvalidOperationException("no exit")), CancellationToken.None);
        }

        store.PoolSize.Should().Be(4);
        var claims = await store.ClaimDueAsync(clock.Now, 100, CancellationToken.None);
        claims.Should().HaveCount(3, "claims hold at most three quarters of a pool of 4");
        (await store.ClaimDueAsync(clock.Now, 100, CancellationToken.None)).Should().BeEmpty("the claim budget is spent");
        (await store.FindAsync(new JourneyInstanceQuery(), CancellationToken.None)).Should().HaveCount(6, "a read still finds a connection");
        foreach (var claim in claims)
        {
            await claim.DisposeAsync();
        }

        var again = await store.ClaimDueAsync(clock.Now, 100, CancellationToken.None);
        again.Should().HaveCount(3, "released claims give their connections back to the budget");
        foreach (var claim in again)
        {
            await claim.DisposeAsync();
        }
    }

    private static async Task<int> AllowedConnectionsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The most connections of the store's application name seen at once, until stopped.</summary>
    private async Task<long> PeakConnectionsAsync(NpgsqlConnection connection, CancellationToken stop)
    {
        long peak = 0;
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name", connection);
        command.Parameters.AddWithValue("name", _application);
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, (long)(await command.ExecuteScalarAsync(CancellationToken.None))!);
        }

        return peak;
    }

    private static JourneyDefinition Reminder() =>
        Journey.When<OrderUnpaid>()
            .Named("pool-reminder")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .AfterStart(Duration.FromMinutes(30)).Send("reminder", c => new Channels.EmailMessage($"Order {c.Event.OrderId}", "<p>-</p>", null))
            .Build();

    public sealed record OrderUnpaid(string OrderId, Customer Customer);
}
