using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Xunit;

namespace Recovery.Journeys.Testing.Xunit.Conformance;

public abstract partial class JourneyStoreConformanceTests
{
    /// <summary>An update of an unheld instance is applied at once, state and records together.</summary>
    [Fact]
    public async Task UpdateActive_InstanceNotHeld_AppliesTheTransition()
    {
        var instance = await StartAsync(NewInstance("order-1"));
        JourneyInstance? seen = null;

        var applied = await Store.UpdateActiveAsync(Checkout, "order-1", current =>
        {
            seen = current;
            return Ended(current, Clock.Now, JourneyStatus.Converted, "OrderPaid", 49.90m);
        }, CancellationToken.None);

        AssertSameInstance(instance, seen!);
        Assert.NotNull(applied);
        AssertSameInstance(applied.Instance, await Store.GetAsync(instance.Id, CancellationToken.None));
        var timeline = await Store.GetTimelineAsync(instance.Id, CancellationToken.None);
        Assert.Equal([JourneyRecordKind.Entered, JourneyRecordKind.Converted], timeline.Select(r => r.Kind));
        Assert.Equal(49.90m, timeline[1].Value);
        Assert.Null(await Store.GetNextWakeUpAsync(CancellationToken.None));
    }

    /// <summary>An update that returns <see langword="null"/> changes nothing; an update without an active instance is not called.</summary>
    [Fact]
    public async Task UpdateActive_NoChangeOrNoActiveInstance_ChangesNothing()
    {
        var instance = await StartAsync(NewInstance("order-1"));
        var calls = 0;

        var unchanged = await Store.UpdateActiveAsync(Checkout, "order-1", _ => { calls++; return null; }, CancellationToken.None);
        var otherKey = await Store.UpdateActiveAsync(Checkout, "order-2", _ => { calls += 10; return null; }, CancellationToken.None);
        var otherJourney = await Store.UpdateActiveAsync("coupon-follow-up", "order-1", _ => { calls += 100; return null; }, CancellationToken.None);

        Assert.Null(unchanged);
        Assert.Null(otherKey);
        Assert.Null(otherJourney);
        Assert.Equal(1, calls);
        AssertSameInstance(instance, await Store.GetAsync(instance.Id, CancellationToken.None));
        Assert.Single(await Store.GetTimelineAsync(instance.Id, CancellationToken.None));
    }

    /// <summary>An update may add records only (a re-entry ignored), leaving the instance due as it was.</summary>
    [Fact]
    public async Task UpdateActive_RecordsOnly_AppendsThemAndKeepsTheWakeUp()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now + Duration.FromMinutes(5)));
        var ignored = new JourneyRecord(instance.Id, Checkout, Clock.Now, JourneyRecordKind.ReentryIgnored) { Detail = "CheckoutAbandoned" };

        await Store.UpdateActiveAsync(Checkout, "order-1", current => new JourneyTransition(current, [ignored]), CancellationToken.None);

        Assert.Equal([.. Entered(instance).Records, ignored], await Store.GetTimelineAsync(instance.Id, CancellationToken.None));
        Assert.Equal(instance.WakeUpAt, await Store.GetNextWakeUpAsync(CancellationToken.None));
        Assert.Empty(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        var claim = Assert.Single(await Store.ClaimDueAsync(instance.WakeUpAt!.Value, 10, CancellationToken.None));
        await claim.DisposeAsync();
    }

    /// <summary>An update may move the wake-up (a wait resumed): the instance is then due at the new instant only.</summary>
    [Fact]
    public async Task UpdateActive_NewWakeUp_MakesTheInstanceDueThen()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now + Duration.FromDays(2)));

        await Store.UpdateActiveAsync(Checkout, "order-1", current => new JourneyTransition(current with { WakeUpAt = Clock.Now }, []), CancellationToken.None);

        Assert.Equal(Clock.Now, await Store.GetNextWakeUpAsync(CancellationToken.None));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        Assert.Equal(instance.Id, claim.Instance.Id);
        await claim.CommitAsync(Ended(claim.Instance, Clock.Now, JourneyStatus.Completed, "completed"), CancellationToken.None);
        Assert.Empty(await Store.ClaimDueAsync(Clock.Now + Duration.FromDays(3), 10, CancellationToken.None));
    }

    /// <summary>
    /// An exit that arrives while a step runs waits for the step's commit, sees its state, and is applied after it:
    /// the timeline reads sent, then converted.
    /// </summary>
    [Fact]
    public async Task UpdateActive_WhileClaimed_WaitsForTheCommitAndAppliesAfterIt()
    {
        var (instance, claim, update, seen) = await PayWhileClaimedAsync();
        var ran = Ran(claim.Instance, Clock.Now, "step-2", Clock.Now + Duration.FromHours(1));
        await claim.CommitAsync(ran, CancellationToken.None);
        var applied = await Within(update, "the exit after the claim's commit");

        Assert.NotNull(applied);
        AssertSameInstance(ran.Instance, await seen);
        var stored = await Store.GetAsync(instance.Id, CancellationToken.None);
        Assert.Equal(JourneyStatus.Converted, stored!.Status);
        Assert.Equal("step-1", stored.LastSentStepId);
        Assert.Equal(
            [JourneyRecordKind.Entered, JourneyRecordKind.Sent, JourneyRecordKind.Converted],
            (await Store.GetTimelineAsync(instance.Id, CancellationToken.None)).Select(r => r.Kind));
        Assert.Empty(await Store.ClaimDueAsync(Instant.MaxValue, 10, CancellationToken.None));
    }

    /// <summary>An exit waiting on a claim that is released unchanged is applied after the release, and the step never runs.</summary>
    [Fact]
    public async Task UpdateActive_WhileClaimedThenReleased_AppliesAfterTheRelease()
    {
        var (instance, claim, update, _) = await PayWhileClaimedAsync();
        await claim.DisposeAsync();
        Assert.NotNull(await Within(update, "the exit after the claim's release"));

        Assert.Equal(JourneyStatus.Converted, (await Store.GetAsync(instance.Id, CancellationToken.None))!.Status);
        Assert.Empty(await Store.ClaimDueAsync(Instant.MaxValue, 10, CancellationToken.None));
    }

    /// <summary>An exit waiting on a claim whose commit ends the instance finds no active instance and changes nothing.</summary>
    [Fact]
    public async Task UpdateActive_WhileClaimedAndTheCommitEndsTheInstance_ReturnsNull()
    {
        var (instance, claim, update, seen) = await PayWhileClaimedAsync();
        await claim.CommitAsync(Ended(claim.Instance, Clock.Now, JourneyStatus.Completed, "completed"), CancellationToken.None);

        Assert.Null(await Within(update, "the exit after the claim's commit"));
        Assert.False(seen.IsCompleted, "UpdateActiveAsync called its update for an instance the claim had ended.");
        Assert.Equal(JourneyStatus.Completed, (await Store.GetAsync(instance.Id, CancellationToken.None))!.Status);
        Assert.Equal(2, (await Store.GetTimelineAsync(instance.Id, CancellationToken.None)).Count);
    }

    /// <summary>An update waiting on a claim can be cancelled; it then changes nothing.</summary>
    [Fact]
    public async Task UpdateActive_CancelledWhileWaitingForAClaim_ThrowsAndChangesNothing()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        using var cancellation = new CancellationTokenSource();
        var called = false;

        var update = Task.Run(async () => await Store.UpdateActiveAsync(Checkout, "order-1", current =>
        {
            called = true;
            return Ended(current, Clock.Now, JourneyStatus.Converted, "OrderPaid");
        }, cancellation.Token));
        Assert.False(await CompletesSoonAsync(update), "UpdateActiveAsync completed while a claim held the instance.");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(update, "the cancelled update"));
        await claim.DisposeAsync();
        Assert.False(called);
        AssertSameInstance(instance, await Store.GetAsync(instance.Id, CancellationToken.None));
        var again = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        await again.DisposeAsync();
    }

    /// <summary>
    /// Starts "order-1" due now, claims it as a running step would, and publishes its payment (an exit that converts
    /// it), checking that the exit waits for the claim. <c>Seen</c> completes with the instance the exit finally saw.
    /// </summary>
    private async Task<(JourneyInstance Instance, IJourneyClaim Claim, Task<JourneyTransition?> Update, Task<JourneyInstance> Seen)> PayWhileClaimedAsync()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        var seen = new TaskCompletionSource<JourneyInstance>(TaskCreationOptions.RunContinuationsAsynchronously);

        var update = Task.Run(async () => await Store.UpdateActiveAsync(Checkout, "order-1", current =>
        {
            seen.TrySetResult(current);
            return Ended(current, Clock.Now, JourneyStatus.Converted, "OrderPaid", 49.90m);
        }, CancellationToken.None));

        Assert.False(await CompletesSoonAsync(seen.Task), "UpdateActiveAsync ran its update while a claim held the instance; it must wait for the claim to end.");
        return (instance, claim, update, seen.Task);
    }
}
