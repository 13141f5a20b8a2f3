using System.Diagnostics;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Coupons;
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

/// <summary>Two engines, each with its own store (as two app instances), share one database.</summary>
public sealed class PostgreSqlMultiInstanceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Journeys = 300;
    private readonly string _schema = TestDatabase.NewSchemaName();

    public Task InitializeAsync() => TestPostgres.EnsureReachableAsync();

    public Task DisposeAsync() => TestPostgres.DropSchemaAsync(_schema);

    [Fact]
    public async Task TwoEngines_ClaimingConcurrently_RunEveryStepExactlyOnce()
    {
        var clock = new FakeClock();
        await using var store1 = await TestDatabase.CreateStoreAsync(_schema, o => o.MaxClaimsPerCall = 8);
        await using var store2 = await TestDatabase.CreateStoreAsync(_schema, o => o.MaxClaimsPerCall = 8);
        var channels1 = new RecordingChannels(clock);
        var channels2 = new RecordingChannels(clock);
        var options = new JourneyEngineOptions { BatchSize = 8, MaxConcurrentSteps = 8 };
        var engine1 = new JourneyEngine([TwoReminders()], store1, new JourneyHostServices { Channels = channels1 }, clock, options);
        var engine2 = new JourneyEngine([TwoReminders()], store2, new JourneyHostServices { Channels = channels2 }, clock, options);
        for (var i = 0; i < Journeys; i++)
        {
            await (i % 2 == 0 ? engine1 : engine2).PublishAsync(new OrderUnpaid($"order-{i}", new Customer($"customer-{i}") { Email = $"customer-{i}@example.com", PushToken = $"push-{i}" }));
        }

        var stopwatch = Stopwatch.StartNew();
        clock.Advance(Duration.FromMinutes(30));
        var firstRound = await Task.WhenAll(Task.Run(() => engine1.RunDueAsync().AsTask()), Task.Run(() => engine2.RunDueAsync().AsTask()));
        clock.Advance(Duration.FromHours(24));
        var secondRound = await Task.WhenAll(Task.Run(() => engine1.RunDueAsync().AsTask()), Task.Run(() => engine2.RunDueAsync().AsTask()));
        stopwatch.Stop();

        var sent = channels1.Sent.Concat(channels2.Sent).ToList();
        sent.Select(s => s.IdempotencyKey).Should().OnlyHaveUniqueItems("no step may run on both engines");
        sent.Should().HaveCount(2 * Journeys, "every step of every journey runs");
        (firstRound.Sum() + secondRound.Sum()).Should().Be(2 * Journeys);
        output.WriteLine(
            $"{2 * Journeys} steps (claim, send, commit) on two engines in {stopwatch.ElapsedMilliseconds} ms: " +
            $"{2 * Journeys / stopwatch.Elapsed.TotalSeconds:F0} steps/s; engine 1 ran {channels1.Sent.Count}, engine 2 ran {channels2.Sent.Count}.");
        var remaining = await store1.FindAsync(new JourneyInstanceQuery(), CancellationToken.None);
        remaining.Should().HaveCount(Journeys).And.OnlyContain(i => i.Status == JourneyStatus.Completed);
    }

    private static JourneyDefinition TwoReminders() =>
        Journey.When<OrderUnpaid>()
            .Named("unpaid-order")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .AfterStart(Duration.FromMinutes(30)).Send("coupon-email", c => new Channels.EmailMessage($"Coupon {c.Event.OrderId}", "<p>-10 %</p>", null))
            .Then().AfterStart(Duration.FromHours(24)).Send("coupon-revoked", c => new Channels.EmailMessage($"Coupon {c.Event.OrderId} expired", "<p>-</p>", null))
            .Build();

    public sealed record OrderUnpaid(string OrderId, Customer Customer);
}
