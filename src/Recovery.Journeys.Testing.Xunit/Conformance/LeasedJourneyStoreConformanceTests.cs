using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Xunit;

namespace Recovery.Journeys.Testing.Xunit.Conformance;

/// <summary>
/// The conformance suite for a store whose claims are leases: a claim can lapse while the store lives (its worker
/// died, its connection dropped, its lease timed out), and the instance is then due again. Adds the lease facts to
/// every fact of <see cref="JourneyStoreConformanceTests"/>.
/// </summary>
/// <remarks>
/// A store whose claims last as long as the store object (the in-memory store, the single-process SQLite store)
/// derives from <see cref="JourneyStoreConformanceTests"/> instead: for it, a crash ends every claim at once.
/// </remarks>
public abstract class LeasedJourneyStoreConformanceTests : JourneyStoreConformanceTests
{
    /// <summary>
    /// Makes <paramref name="claim"/> lapse as if its worker had died: kill its connection, or move <see cref="JourneyStoreConformanceTests.Clock"/>
    /// past its lease. Returns once another worker can claim the instance.
    /// </summary>
    /// <param name="claim">A claim this store granted and that is still held.</param>
    protected abstract Task ExpireClaimAsync(IJourneyClaim claim);

    /// <summary>A lapsed claim's instance is due again, for the same step, so the retry carries the same idempotency key.</summary>
    [Fact]
    public async Task ExpiredClaim_InstanceIsClaimableAgainForTheSameStep()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var lapsed = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));

        await ExpireClaimAsync(lapsed);

        var retry = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        AssertSameInstance(instance, retry.Instance);
        Assert.Equal("step-1", retry.Instance.NextStepId);
        await retry.DisposeAsync();
        await lapsed.DisposeAsync();
    }

    /// <summary>
    /// The lapsed claim's late commit is refused with <see cref="JourneyClaimLostException"/> and writes nothing; the
    /// new holder's claim is not disturbed by it, nor by the lapsed claim's disposal.
    /// </summary>
    [Fact]
    public async Task ExpiredClaim_LateCommitIsRefusedAndTheNewHolderKeepsTheInstance()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var lapsed = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        await ExpireClaimAsync(lapsed);
        var holder = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));

        var lost = await Assert.ThrowsAsync<JourneyClaimLostException>(async () =>
            await lapsed.CommitAsync(Ran(lapsed.Instance, Clock.Now, "step-2", Clock.Now), CancellationToken.None));
        await lapsed.DisposeAsync();

        Assert.Equal(instance.Id, lost.InstanceId);
        Assert.Equal(Entered(instance).Records, await Store.GetTimelineAsync(instance.Id, CancellationToken.None));
        Assert.Empty(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        var ran = Ran(holder.Instance, Clock.Now, "step-2", Clock.Now + Duration.FromHours(1));
        await holder.CommitAsync(ran, CancellationToken.None);
        AssertSameInstance(ran.Instance, await Store.GetAsync(instance.Id, CancellationToken.None));
        Assert.Equal([JourneyRecordKind.Entered, JourneyRecordKind.Sent], (await Store.GetTimelineAsync(instance.Id, CancellationToken.None)).Select(r => r.Kind));
    }

    /// <summary>An exit waiting on a claim goes ahead once the claim lapses: a dead worker does not block a payment.</summary>
    [Fact]
    public async Task ExpiredClaim_ExitWaitingOnItGoesAhead()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var lapsed = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        var update = Task.Run(async () => await Store.UpdateActiveAsync(
            Checkout, "order-1", current => Ended(current, Clock.Now, JourneyStatus.Converted, "OrderPaid"), CancellationToken.None));
        Assert.False(await CompletesSoonAsync(update), "UpdateActiveAsync went ahead while a claim held the instance.");

        await ExpireClaimAsync(lapsed);

        Assert.NotNull(await Within(update, "the exit after the claim lapsed"));
        Assert.Equal(JourneyStatus.Converted, (await Store.GetAsync(instance.Id, CancellationToken.None))!.Status);
        await Assert.ThrowsAsync<JourneyClaimLostException>(async () =>
            await lapsed.CommitAsync(Ran(lapsed.Instance, Clock.Now, "step-2", Clock.Now), CancellationToken.None));
        Assert.Equal(JourneyStatus.Converted, (await Store.GetAsync(instance.Id, CancellationToken.None))!.Status);
        await lapsed.DisposeAsync();
    }
}
