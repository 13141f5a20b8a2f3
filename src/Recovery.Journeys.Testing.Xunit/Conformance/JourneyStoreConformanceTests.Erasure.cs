using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Xunit;

namespace Recovery.Journeys.Testing.Xunit.Conformance;

public abstract partial class JourneyStoreConformanceTests
{
    /// <summary>Erasure removes every instance of the customer, active or ended, with its trigger and timeline, and nothing else.</summary>
    [Fact]
    public async Task EraseCustomer_ActiveAndEndedInstances_RemovesThemAndTheirRecordsOnly()
    {
        var active = await StartAsync(NewInstance("order-1", customerId: "customer-a", wakeUpAt: Clock.Now));
        var ended = await StartAsync(NewInstance("order-2", customerId: "customer-a"));
        await Store.UpdateActiveAsync(Checkout, "order-2", i => Ended(i, Clock.Now, JourneyStatus.Converted, "OrderPaid", 10m), CancellationToken.None);
        var otherJourney = await StartAsync(NewInstance("order-3", customerId: "customer-a", journeyName: "coupon-follow-up"));
        var kept = await StartAsync(NewInstance("order-4", customerId: "customer-b", wakeUpAt: Clock.Now + Duration.FromTicks(1)));
        var anonymous = await StartAsync(NewInstance("order-5", customerId: null));

        var erased = await Store.EraseCustomerAsync("customer-a", CancellationToken.None);

        Assert.Equal(3, erased);
        foreach (var gone in new[] { active, ended, otherJourney })
        {
            Assert.Null(await Store.GetAsync(gone.Id, CancellationToken.None));
            Assert.Empty(await Store.GetTimelineAsync(gone.Id, CancellationToken.None));
        }

        Assert.Empty(await Store.FindAsync(new JourneyInstanceQuery(CustomerId: "customer-a"), CancellationToken.None));
        Assert.Equal([kept.Id, anonymous.Id], (await Store.FindAsync(new JourneyInstanceQuery(), CancellationToken.None)).Select(i => i.Id));
        var records = await ReadAllRecordsAsync(new JourneyRecordQuery());
        Assert.Equal([kept.Id, anonymous.Id], records.Select(r => r.InstanceId));
        AssertSameInstance(kept, await Store.GetAsync(kept.Id, CancellationToken.None));

        // The erased active instance's step never runs, and its key is free again.
        Assert.Equal(kept.WakeUpAt, await Store.GetNextWakeUpAsync(CancellationToken.None));
        Assert.Empty(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        Assert.Null(await Store.TryClaimAsync(active.Id, Clock.Now, CancellationToken.None));
        await StartAsync(NewInstance("order-1", customerId: "customer-a"));
    }

    /// <summary>Erasing a customer the store does not know removes nothing.</summary>
    [Fact]
    public async Task EraseCustomer_UnknownCustomer_RemovesNothing()
    {
        var instance = await StartAsync(NewInstance("order-1", customerId: "customer-a"));

        Assert.Equal(0, await Store.EraseCustomerAsync("customer-z", CancellationToken.None));

        AssertSameInstance(instance, await Store.GetAsync(instance.Id, CancellationToken.None));
    }

    /// <summary>Erasure waits for a step in progress, then removes the instance with the step's record.</summary>
    [Fact]
    public async Task EraseCustomer_WhileAStepRuns_WaitsForItsCommitThenRemovesEverything()
    {
        var instance = await StartAsync(NewInstance("order-1", customerId: "customer-a", wakeUpAt: Clock.Now));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));

        var erase = Task.Run(async () => await Store.EraseCustomerAsync("customer-a", CancellationToken.None));

        Assert.False(await CompletesSoonAsync(erase), "EraseCustomerAsync removed an instance while a claim held it; it must wait for the claim to end.");
        await claim.CommitAsync(Ran(claim.Instance, Clock.Now, "step-2", Clock.Now), CancellationToken.None);
        Assert.Equal(1, await Within(erase, "the erasure after the claim's commit"));
        Assert.Null(await Store.GetAsync(instance.Id, CancellationToken.None));
        Assert.Empty(await Store.GetTimelineAsync(instance.Id, CancellationToken.None));
        Assert.Empty(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
    }
}
