using System.Collections.Concurrent;
using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Xunit;

namespace Recovery.Journeys.Testing.Xunit.Conformance;

public abstract partial class JourneyStoreConformanceTests
{
    /// <summary>Only instances due at or before the given instant are claimed, earliest first.</summary>
    [Fact]
    public async Task ClaimDue_MixedWakeUps_ClaimsOnlyDueOnesEarliestFirst()
    {
        var now = Clock.Now;
        var late = await StartAsync(NewInstance("order-late", wakeUpAt: now + Duration.FromTicks(1)));
        var onTime = await StartAsync(NewInstance("order-on-time", wakeUpAt: now));
        var earliest = await StartAsync(NewInstance("order-earliest", wakeUpAt: now - Duration.FromHours(2)));
        var early = await StartAsync(NewInstance("order-early", wakeUpAt: now - Duration.FromMinutes(1)));

        var claims = await Store.ClaimDueAsync(now, 10, CancellationToken.None);

        Assert.Equal([earliest.Id, early.Id, onTime.Id], claims.Select(c => c.Instance.Id));
        AssertSameInstance(earliest, claims[0].Instance);
        Assert.DoesNotContain(claims, c => c.Instance.Id == late.Id);
        await DisposeAllAsync(claims);
    }

    /// <summary>No more than the maximum is claimed, and the earliest are the ones claimed.</summary>
    [Fact]
    public async Task ClaimDue_MoreDueThanMaxCount_ClaimsTheEarliestUpToMaxCount()
    {
        var now = Clock.Now;
        var instances = new List<JourneyInstance>();
        for (var i = 0; i < 5; i++)
        {
            instances.Add(await StartAsync(NewInstance($"order-{i}", wakeUpAt: now - Duration.FromMinutes(10 - i))));
        }

        var first = await Store.ClaimDueAsync(now, 2, CancellationToken.None);
        var second = await Store.ClaimDueAsync(now, 2, CancellationToken.None);
        var third = await Store.ClaimDueAsync(now, 2, CancellationToken.None);
        var fourth = await Store.ClaimDueAsync(now, 2, CancellationToken.None);

        // A store may hand out fewer than asked (a cap on connections), never more, and never skip an earlier one.
        var all = first.Concat(second).Concat(third).Concat(fourth).ToList();
        Assert.All(new[] { first, second, third, fourth }, batch => Assert.True(batch.Count <= 2, $"ClaimDueAsync returned {batch.Count} claims for a maximum of 2."));
        Assert.Equal(instances.Take(all.Count).Select(i => i.Id), all.Select(c => c.Instance.Id));
        Assert.True(all.Count >= 4, $"Four calls for at most 2 each claimed {all.Count} of 5 due instances.");
        await DisposeAllAsync(all);
    }

    /// <summary>Nothing is claimed when nothing is due, and an empty store claims nothing.</summary>
    [Fact]
    public async Task ClaimDue_NothingDue_ReturnsNoClaim()
    {
        Assert.Empty(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now + Duration.FromMinutes(5)));

        Assert.Empty(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
    }

    /// <summary>A held instance is not claimed again, by a batch claim or by id.</summary>
    [Fact]
    public async Task ClaimDue_InstanceHeld_IsNotClaimedAgain()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        Clock.Advance(Duration.FromSeconds(1));

        Assert.Empty(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        Assert.Null(await Store.TryClaimAsync(instance.Id, Clock.Now, CancellationToken.None));
        await claim.DisposeAsync();
    }

    /// <summary>A claim by id is granted only for an active, due, unheld instance.</summary>
    [Fact]
    public async Task TryClaim_DueUnheldInstance_IsClaimedOtherwiseNot()
    {
        var due = await StartAsync(NewInstance("order-due", wakeUpAt: Clock.Now));
        var notDue = await StartAsync(NewInstance("order-not-due", wakeUpAt: Clock.Now + Duration.FromTicks(1)));
        var ended = await StartAsync(NewInstance("order-ended", wakeUpAt: Clock.Now));
        await Store.UpdateActiveAsync(Checkout, "order-ended", i => Ended(i, Clock.Now, JourneyStatus.Exited, "OrderCancelled"), CancellationToken.None);

        var claim = await Store.TryClaimAsync(due.Id, Clock.Now, CancellationToken.None);

        Assert.NotNull(claim);
        AssertSameInstance(due, claim.Instance);
        Assert.Null(await Store.TryClaimAsync(notDue.Id, Clock.Now, CancellationToken.None));
        Assert.Null(await Store.TryClaimAsync(ended.Id, Clock.Now, CancellationToken.None));
        Assert.Null(await Store.TryClaimAsync(JourneyInstanceId.New(), Clock.Now, CancellationToken.None));
        Assert.Empty(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        await claim.DisposeAsync();
    }

    /// <summary>Many workers claiming at once: every due instance is claimed exactly once.</summary>
    [Fact]
    public async Task ClaimDue_ConcurrentWorkers_ClaimEachInstanceExactlyOnce()
    {
        const int InstanceCount = 60;
        var now = Clock.Now;
        var ids = new List<JourneyInstanceId>();
        for (var i = 0; i < InstanceCount; i++)
        {
            ids.Add((await StartAsync(NewInstance($"order-{i}", wakeUpAt: now - Duration.FromSeconds(i % 7)))).Id);
        }

        var claimed = new ConcurrentBag<JourneyInstanceId>();
        var workers = Enumerable.Range(0, 6).Select(worker => Task.Run(async () =>
        {
            while (true)
            {
                // Half the workers also try to claim by id instances that others may hold.
                if (worker % 2 == 1 && await Store.TryClaimAsync(ids[Random.Shared.Next(InstanceCount)], now, CancellationToken.None) is { } single)
                {
                    claimed.Add(single.Instance.Id);
                    await single.CommitAsync(Ended(single.Instance, now, JourneyStatus.Completed, "completed"), CancellationToken.None);
                }

                var claims = await Store.ClaimDueAsync(now, 3, CancellationToken.None);
                if (claims.Count == 0)
                {
                    return;
                }

                foreach (var claim in claims)
                {
                    claimed.Add(claim.Instance.Id);
                    await Task.Yield();
                    await claim.CommitAsync(Ended(claim.Instance, now, JourneyStatus.Completed, "completed"), CancellationToken.None);
                }
            }
        }));

        await Within(Task.WhenAll(workers), "six workers claiming 60 instances");

        var twice = claimed.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} instances were claimed more than once, e.g. {twice.FirstOrDefault()}.");
        Assert.Equal(ids.OrderBy(id => id.Value), claimed.OrderBy(id => id.Value));
        Assert.Empty(await Store.ClaimDueAsync(now, 10, CancellationToken.None));
        foreach (var id in ids)
        {
            Assert.Equal([JourneyRecordKind.Entered, JourneyRecordKind.Completed], (await Store.GetTimelineAsync(id, CancellationToken.None)).Select(r => r.Kind));
        }
    }

    /// <summary>A claim disposed without a commit leaves the instance unchanged and due, for the same step.</summary>
    [Fact]
    public async Task Dispose_WithoutCommit_LeavesTheInstanceUnchangedAndDue()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));

        await claim.DisposeAsync();
        await claim.DisposeAsync();

        var again = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        AssertSameInstance(instance, again.Instance);
        Assert.Equal("step-1", again.Instance.NextStepId);
        Assert.Equal(Entered(instance).Records, await Store.GetTimelineAsync(instance.Id, CancellationToken.None));
        await again.DisposeAsync();
        Assert.Equal(instance.WakeUpAt, await Store.GetNextWakeUpAsync(CancellationToken.None));
    }

    /// <summary>A commit writes the new state and its records together, and releases the instance for its next step.</summary>
    [Fact]
    public async Task Commit_StepRan_PersistsStateAndRecordsAndReleases()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        var next = Clock.Now + Duration.FromHours(1);
        var ran = Ran(claim.Instance, Clock.Now, "step-2", next);
        ran = ran with { Instance = ran.Instance with { Variables = Variables(("coupon", "RELANCE-10")) } };

        await claim.CommitAsync(ran, CancellationToken.None);

        AssertSameInstance(ran.Instance, await Store.GetAsync(instance.Id, CancellationToken.None));
        Assert.Equal(Entered(instance).Records.Concat(ran.Records), await Store.GetTimelineAsync(instance.Id, CancellationToken.None));
        Assert.Equal(next, await Store.GetNextWakeUpAsync(CancellationToken.None));
        Assert.Empty(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        var nextClaim = Assert.Single(await Store.ClaimDueAsync(next, 10, CancellationToken.None));
        Assert.Equal("step-2", nextClaim.Instance.NextStepId);
        await nextClaim.DisposeAsync();
    }

    /// <summary>A commit that ends the instance makes it unclaimable for good and frees its key.</summary>
    [Fact]
    public async Task Commit_EndingTheInstance_MakesItUnclaimableAndFreesTheKey()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        var ended = Ended(claim.Instance, Clock.Now, JourneyStatus.Completed, "completed");

        await claim.CommitAsync(ended, CancellationToken.None);
        await claim.DisposeAsync();

        AssertSameInstance(ended.Instance, await Store.GetAsync(instance.Id, CancellationToken.None));
        Assert.Empty(await Store.ClaimDueAsync(Instant.MaxValue, 10, CancellationToken.None));
        Assert.Null(await Store.TryClaimAsync(instance.Id, Instant.MaxValue, CancellationToken.None));
        Assert.Null(await Store.GetNextWakeUpAsync(CancellationToken.None));
        var updateCalled = false;
        Assert.Null(await Store.UpdateActiveAsync(Checkout, "order-1", _ => { updateCalled = true; return null; }, CancellationToken.None));
        Assert.False(updateCalled, "UpdateActiveAsync called its update for an instance that had ended.");
        await StartAsync(NewInstance("order-1"));
    }

    /// <summary>A claim commits once: committing again, or after it was disposed, is refused and changes nothing.</summary>
    [Fact]
    public async Task Commit_AfterCommitOrDispose_IsRefusedAndChangesNothing()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var committed = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        var ran = Ran(committed.Instance, Clock.Now, "step-2", Clock.Now);
        await committed.CommitAsync(ran, CancellationToken.None);

        await Assert.ThrowsAnyAsync<InvalidOperationException>(async () => await committed.CommitAsync(ran, CancellationToken.None));

        var disposed = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        await disposed.DisposeAsync();
        var holder = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(async () =>
            await disposed.CommitAsync(Ended(disposed.Instance, Clock.Now, JourneyStatus.Exited, "stale"), CancellationToken.None));

        // The stale commits wrote nothing and did not release the current holder's claim.
        Assert.Empty(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        AssertSameInstance(ran.Instance, await Store.GetAsync(instance.Id, CancellationToken.None));
        Assert.Equal(2, (await Store.GetTimelineAsync(instance.Id, CancellationToken.None)).Count);
        await holder.CommitAsync(Ended(holder.Instance, Clock.Now, JourneyStatus.Completed, "completed"), CancellationToken.None);
        Assert.Equal(JourneyStatus.Completed, (await Store.GetAsync(instance.Id, CancellationToken.None))!.Status);
    }

    /// <summary>A commit of another instance's state is refused, and the claimed instance stays due once released.</summary>
    [Fact]
    public async Task Commit_TransitionOfAnotherInstance_IsRefusedAndTheInstanceStaysDue()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var other = await StartAsync(NewInstance("order-2"));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));

        await Assert.ThrowsAnyAsync<ArgumentException>(async () =>
            await claim.CommitAsync(Ended(other, Clock.Now, JourneyStatus.Exited, "wrong instance"), CancellationToken.None));
        await claim.DisposeAsync();

        AssertSameInstance(other, await Store.GetAsync(other.Id, CancellationToken.None));
        var again = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        Assert.Equal(instance.Id, again.Instance.Id);
        await again.DisposeAsync();
    }

    private static async Task DisposeAllAsync(IEnumerable<IJourneyClaim> claims)
    {
        foreach (var claim in claims)
        {
            await claim.DisposeAsync();
        }
    }
}
