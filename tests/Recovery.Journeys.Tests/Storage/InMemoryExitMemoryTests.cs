using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Tests.Storage;

/// <summary>
/// The in-memory store keeps an exit as its caller wrote it and the customer it found beside it: the exit a refusal
/// hands out is the one written, with the customer of the instance it ended (or none), and erasing that customer forgets it.
/// </summary>
public sealed class InMemoryExitMemoryTests
{
    private const string Journey = "checkout-recovery";
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 2, 9, 0);

    [Fact]
    public async Task AnExitOfAnInstance_IsHandedOutAsWritten_WithTheInstancesCustomer()
    {
        var store = new InMemoryJourneyStore();
        await StartAsync(store, "order-1", "customer-1");
        var written = new RememberedExit(Journey, "order-1", "OrderPaid", T0 + Duration.FromMinutes(5), T0 + Duration.FromDays(7));

        Assert.NotNull(await store.ExitAsync(written, End, CancellationToken.None));
        var first = await StartAsync(store, "order-1", "customer-1");
        var second = await StartAsync(store, "order-1", "customer-1");

        Assert.True(first.IsRefused);
        Assert.Equal(written with { CustomerId = "customer-1" }, first.RefusedBy);
        Assert.Equal(first.RefusedBy, second.RefusedBy);
        Assert.Null(written.CustomerId);
    }

    [Fact]
    public async Task AnExitWithoutAnInstance_KeepsNoCustomer_AndALaterOneKeepsTheEarliersCustomer()
    {
        var store = new InMemoryJourneyStore();
        // The caller's customer is not the store's: without an instance to end, the exit keeps none.
        var alone = new RememberedExit(Journey, "order-2", "OrderPaid", T0, T0 + Duration.FromDays(1)) { CustomerId = "someone" };
        await store.ExitAsync(alone, End, CancellationToken.None);
        Assert.Null((await StartAsync(store, "order-2", "customer-2")).RefusedBy!.CustomerId);

        await StartAsync(store, "order-3", "customer-3");
        await store.ExitAsync(new RememberedExit(Journey, "order-3", "OrderPaid", T0, T0 + Duration.FromDays(7)), End, CancellationToken.None);
        var later = new RememberedExit(Journey, "order-3", "OrderCancelled", T0 + Duration.FromHours(1), T0 + Duration.FromDays(2));
        await store.ExitAsync(later, End, CancellationToken.None);

        // The latest exit's type and instant, the furthest expiry, the customer of the instance the first one ended.
        Assert.Equal(
            new RememberedExit(Journey, "order-3", "OrderCancelled", T0 + Duration.FromHours(1), T0 + Duration.FromDays(7)) { CustomerId = "customer-3" },
            (await StartAsync(store, "order-3", "customer-3")).RefusedBy);
    }

    [Fact]
    public async Task ErasingTheCustomer_ForgetsTheExitsOfTheirInstances()
    {
        var store = new InMemoryJourneyStore();
        await StartAsync(store, "order-4", "customer-4");
        await store.ExitAsync(new RememberedExit(Journey, "order-4", "OrderPaid", T0, T0 + Duration.FromDays(7)), End, CancellationToken.None);
        await StartAsync(store, "order-5", "customer-5");
        await store.ExitAsync(new RememberedExit(Journey, "order-5", "OrderPaid", T0, T0 + Duration.FromDays(7)), End, CancellationToken.None);

        await store.EraseCustomerAsync("customer-4", CancellationToken.None);

        Assert.True((await StartAsync(store, "order-4", "customer-6")).IsStarted);
        Assert.True((await StartAsync(store, "order-5", "customer-6")).IsRefused);
    }

    [Fact]
    public async Task AnExpiredExitsPlace_UsedAgain_DoesNotForgetTheExitNowThere()
    {
        var store = new InMemoryJourneyStore();
        await StartAsync(store, "order-6", "customer-6");
        await store.ExitAsync(new RememberedExit(Journey, "order-6", "OrderPaid", T0, T0 + Duration.FromDays(1)), End, CancellationToken.None);

        // Erased, the first exit leaves its place (and its expiry) to the next exit remembered, which expires later.
        await store.EraseCustomerAsync("customer-6", CancellationToken.None);
        await store.ExitAsync(new RememberedExit(Journey, "order-7", "OrderPaid", T0, T0 + Duration.FromDays(7)), End, CancellationToken.None);
        await store.ExitAsync(new RememberedExit(Journey, "order-8", "OrderPaid", T0, T0 + Duration.FromDays(1)), End, CancellationToken.None);

        var twoDaysOn = T0 + Duration.FromDays(2);
        Assert.True((await StartAsync(store, "order-7", "customer-7", twoDaysOn)).IsRefused);
        Assert.True((await StartAsync(store, "order-8", "customer-8", twoDaysOn)).IsStarted);
        Assert.True((await StartAsync(store, "order-7", "customer-7", T0 + Duration.FromDays(8))).IsStarted);
    }

    private static JourneyTransition? End(JourneyInstance current) =>
        new(current with { Status = JourneyStatus.Exited, NextStepId = null, WakeUpAt = null, EndedAt = T0, EndReason = "OrderPaid" }, []);

    private static async Task<StartOutcome> StartAsync(InMemoryJourneyStore store, string key, string customerId, Instant? at = null)
    {
        var instance = new JourneyInstance
        {
            Id = JourneyInstanceId.New(),
            JourneyName = Journey,
            JourneyVersion = 1,
            CorrelationKey = key,
            CustomerId = customerId,
            Trigger = StoredEvent.FromValue(new { OrderId = key }),
            StartedAt = at ?? T0 + Duration.FromMinutes(10),
            NextStepId = "push-1",
            WakeUpAt = T0 + Duration.FromHours(1),
        };
        var entered = new JourneyTransition(instance, [new JourneyRecord(instance.Id, Journey, T0, JourneyRecordKind.Entered)]);
        var refused = instance with { Status = JourneyStatus.Exited, NextStepId = null, WakeUpAt = null, EndedAt = T0, EndReason = "refused" };
        return await store.TryStartAsync(new JourneyStart(entered, _ => new JourneyTransition(refused, [])), CancellationToken.None);
    }
}
