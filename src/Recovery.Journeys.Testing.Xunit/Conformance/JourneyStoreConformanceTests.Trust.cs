using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Xunit;

namespace Recovery.Journeys.Testing.Xunit.Conformance;

/// <summary>
/// Exits remembered per key, atomic restarts and supersession, and ended instances that still have exit actions to
/// run: what keeps a paid customer from being reminded and a journey from being lost, whatever the order of events.
/// </summary>
public abstract partial class JourneyStoreConformanceTests
{
    /// <summary>How many keys the concurrency facts race on; each key is a separate race.</summary>
    protected virtual int RaceKeys => 50;

    /// <summary>An exit for a key no instance runs is remembered: a later start for that key is refused, and the refusal kept.</summary>
    [Fact]
    public async Task Exit_WithNoActiveInstance_IsRemembered_AndRefusesALaterStart()
    {
        var exit = Exit("order-1");

        Assert.Null(await Store.ExitAsync(exit, _ => throw new InvalidOperationException("there is no active instance to end"), CancellationToken.None));
        var late = NewInstance("order-1");
        var outcome = await Store.TryStartAsync(Start(late), CancellationToken.None);

        Assert.True(outcome.IsRefused);
        Assert.False(outcome.IsStarted);
        Assert.Equal(exit.EventType, outcome.RefusedBy?.EventType);
        Assert.Equal(exit.At, outcome.RefusedBy?.At);
        var kept = await Store.GetAsync(late.Id, CancellationToken.None);
        Assert.NotNull(kept);
        Assert.Equal(JourneyStatus.Exited, kept.Status);
        Assert.Null(kept.WakeUpAt);
        Assert.Equal([JourneyRecordKind.Refused], (await Store.GetTimelineAsync(late.Id, CancellationToken.None)).Select(r => r.Kind));
        Assert.Empty(await Store.ClaimDueAsync(Clock.Now + Duration.FromDays(1), 10, CancellationToken.None));
    }

    /// <summary>An exit ends the active instance and is remembered with it: the key stays closed afterwards.</summary>
    [Fact]
    public async Task Exit_EndsTheActiveInstance_AndKeepsTheKeyClosed()
    {
        var instance = await StartAsync(NewInstance("order-1"));

        var ended = await Store.ExitAsync(Exit("order-1"), i => Ended(i, Clock.Now, JourneyStatus.Converted, "OrderPaid", 49.90m), CancellationToken.None);

        Assert.NotNull(ended);
        Assert.Equal(JourneyStatus.Converted, (await Store.GetAsync(instance.Id, CancellationToken.None))?.Status);
        Assert.True((await Store.TryStartAsync(Start(NewInstance("order-1")), CancellationToken.None)).IsRefused);
    }

    /// <summary>A remembered exit refuses only its own journey and key, and only until it expires.</summary>
    [Fact]
    public async Task Exit_RefusesOnlyItsJourneyAndKey_UntilItExpires()
    {
        await Store.ExitAsync(Exit("order-1", expiresIn: Duration.FromDays(7)), _ => null, CancellationToken.None);

        await StartAsync(NewInstance("order-2"));
        await StartAsync(NewInstance("order-1", journeyName: "coupon-follow-up"));
        Assert.True((await Store.TryStartAsync(Start(NewInstance("order-1")), CancellationToken.None)).IsRefused);

        Clock.Advance(Duration.FromDays(7));
        await StartAsync(NewInstance("order-1"));
    }

    /// <summary>
    /// A start that carries its trigger's own instant is refused when the trigger happened at or before the remembered
    /// exit (a late or redelivered abandonment), and may start when it happened after it.
    /// </summary>
    [Fact]
    public async Task Exit_WithTheTriggersOwnInstant_RefusesOnlyTriggersThatHappenedBeforeIt()
    {
        var paidAt = Clock.Now - Duration.FromMinutes(10);
        await Store.ExitAsync(Exit("order-1", at: paidAt), _ => null, CancellationToken.None);

        var before = await Store.TryStartAsync(Start(NewInstance("order-1"), occurredAt: paidAt - Duration.FromMinutes(1)), CancellationToken.None);
        var same = await Store.TryStartAsync(Start(NewInstance("order-1"), occurredAt: paidAt), CancellationToken.None);
        var after = await Store.TryStartAsync(Start(NewInstance("order-1"), occurredAt: paidAt + Duration.FromMinutes(1)), CancellationToken.None);

        Assert.True(before.IsRefused);
        Assert.True(same.IsRefused);
        Assert.True(after.IsStarted);
    }

    /// <summary>A trigger older than the start's maximum age is refused as stale, and the refusal kept.</summary>
    [Fact]
    public async Task Start_StaleTrigger_IsRefused_AndTheRefusalKept()
    {
        var instance = NewInstance("order-1");
        var start = Start(instance, occurredAt: Clock.Now - Duration.FromHours(25)) with { MaxAge = Duration.FromHours(24) };

        var outcome = await Store.TryStartAsync(start, CancellationToken.None);

        Assert.True(outcome.IsRefused);
        Assert.Null(outcome.RefusedBy);
        Assert.Equal([JourneyRecordKind.Refused], (await Store.GetTimelineAsync(instance.Id, CancellationToken.None)).Select(r => r.Kind));
        await StartAsync(NewInstance("order-1"));
    }

    /// <summary>A later exit for the same key replaces an earlier one: the latest instant and the furthest expiry are kept.</summary>
    [Fact]
    public async Task Exit_Twice_KeepsTheLatestInstantAndTheFurthestExpiry()
    {
        var first = Clock.Now - Duration.FromHours(1);
        await Store.ExitAsync(Exit("order-1", at: first, expiresIn: Duration.FromDays(30)), _ => null, CancellationToken.None);
        await Store.ExitAsync(Exit("order-1", at: first - Duration.FromHours(1), expiresIn: Duration.FromDays(1)), _ => null, CancellationToken.None);

        var refused = await Store.TryStartAsync(Start(NewInstance("order-1"), occurredAt: first - Duration.FromMinutes(30)), CancellationToken.None);

        Assert.True(refused.IsRefused, "a trigger that happened before the latest exit must be refused");
        Assert.Equal(first, refused.RefusedBy?.At);
        Clock.Advance(Duration.FromDays(2));
        Assert.True((await Store.TryStartAsync(Start(NewInstance("order-1")), CancellationToken.None)).IsRefused, "the furthest expiry must be kept");
    }

    /// <summary>An exit waits for a step in progress on the instance it ends, as <see cref="IJourneyStore.UpdateActiveAsync"/> does.</summary>
    [Fact]
    public async Task Exit_WhileAStepRuns_WaitsForItsCommit()
    {
        await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));

        var exit = Task.Run(async () => await Store.ExitAsync(Exit("order-1"), i => Ended(i, Clock.Now, JourneyStatus.Converted, "OrderPaid"), CancellationToken.None));

        Assert.False(await CompletesSoonAsync(exit), "ExitAsync changed an instance while a claim held it; it must wait for the claim to end.");
        await claim.CommitAsync(Ran(claim.Instance, Clock.Now, "step-2", Clock.Now + Duration.FromHours(1)), CancellationToken.None);
        var ended = await Within(exit, "the exit after the claim's commit");
        Assert.NotNull(ended);
        Assert.Equal("step-1", ended.Instance.LastSentStepId);
        Assert.Equal(JourneyStatus.Converted, ended.Instance.Status);
    }

    /// <summary>
    /// A start and an exit for the same key published at the same moment, in either order: whatever the interleaving,
    /// no key is left with an active instance, since the start either saw the exit or was ended by it.
    /// </summary>
    [Fact]
    public async Task StartAndExit_ConcurrentForManyKeys_NeverLeaveAnActiveInstance()
    {
        var keys = Enumerable.Range(0, RaceKeys).Select(i => $"race-{i}").ToList();

        await Within(
            Task.WhenAll(keys.SelectMany(key => new Task[]
            {
                Task.Run(() => Store.TryStartAsync(Start(NewInstance(key)), CancellationToken.None).AsTask()),
                Task.Run(() => Store.ExitAsync(Exit(key), i => Ended(i, Clock.Now, JourneyStatus.Converted, "OrderPaid"), CancellationToken.None).AsTask()),
            })),
            "concurrent starts and exits");

        var found = await Store.FindAsync(new JourneyInstanceQuery(JourneyName: Checkout), CancellationToken.None);
        Assert.Equal(keys.Count, found.Count);
        Assert.DoesNotContain(found, i => i.IsActive);
        Assert.All(found, i => Assert.True(i.Status is JourneyStatus.Converted or JourneyStatus.Exited, $"instance for '{i.CorrelationKey}' is {i.Status}"));
    }

    /// <summary>A start that replaces ends the active instance and starts the new one in one operation.</summary>
    [Fact]
    public async Task Start_Replacing_EndsTheActiveInstanceAndStarts()
    {
        var old = await StartAsync(NewInstance("order-1"));
        var replacing = NewInstance("order-1");

        var outcome = await Store.TryStartAsync(Start(replacing) with { Replace = i => Ended(i, Clock.Now, JourneyStatus.Exited, "restarted") }, CancellationToken.None);

        Assert.True(outcome.IsStarted);
        var ended = Assert.Single(outcome.Ended);
        Assert.Equal(old.Id, ended.Instance.Id);
        Assert.Equal(JourneyStatus.Exited, (await Store.GetAsync(old.Id, CancellationToken.None))?.Status);
        Assert.Equal(JourneyStatus.Active, (await Store.GetAsync(replacing.Id, CancellationToken.None))?.Status);
    }

    /// <summary>Sixty-four replacing starts racing for one key leave exactly one active instance, every other one ended, and throw nothing.</summary>
    [Fact]
    public async Task Start_ConcurrentReplacingStarts_LeaveExactlyOneActiveInstance()
    {
        await StartAsync(NewInstance("order-1"));
        var candidates = Enumerable.Range(0, 64).Select(_ => NewInstance("order-1")).ToList();

        var outcomes = await Within(
            Task.WhenAll(candidates.Select(c => Task.Run(async () =>
                await Store.TryStartAsync(Start(c) with { Replace = i => Ended(i, Clock.Now, JourneyStatus.Exited, "restarted") }, CancellationToken.None)))),
            "64 replacing starts");

        Assert.All(outcomes, o => Assert.True(o.IsStarted, "a replacing start must not be refused by the instance it replaces"));
        var found = await Store.FindAsync(new JourneyInstanceQuery(CorrelationKey: "order-1"), CancellationToken.None);
        Assert.Equal(65, found.Count);
        var active = Assert.Single(found, i => i.IsActive);
        Assert.Contains(active.Id, candidates.Select(c => c.Id));
        Assert.Equal(64, outcomes.Sum(o => o.Ended.Count));
    }

    /// <summary>A replacing start waits for a step in progress on the instance it replaces.</summary>
    [Fact]
    public async Task Start_Replacing_WhileAStepRuns_WaitsForItsCommit()
    {
        await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        var replacing = NewInstance("order-1");

        var start = Task.Run(async () => await Store.TryStartAsync(Start(replacing) with { Replace = i => Ended(i, Clock.Now, JourneyStatus.Exited, "restarted") }, CancellationToken.None));

        Assert.False(await CompletesSoonAsync(start), "TryStartAsync replaced an instance while a claim held it; it must wait for the claim to end.");
        await claim.CommitAsync(Ran(claim.Instance, Clock.Now, "step-2", Clock.Now + Duration.FromHours(1)), CancellationToken.None);
        var outcome = await Within(start, "the replacing start after the claim's commit");
        Assert.True(outcome.IsStarted);
        Assert.Equal("step-1", Assert.Single(outcome.Ended).Instance.LastSentStepId);
    }

    /// <summary>A start ends the instances it supersedes in the same operation, leaving one whose end function declines.</summary>
    [Fact]
    public async Task Start_Superseding_EndsTheListedInstancesWithTheStart()
    {
        var older = await StartAsync(NewInstance("cart-1", customerId: "customer-a"));
        var declined = await StartAsync(NewInstance("cart-2", customerId: "customer-a"));
        var newer = NewInstance("cart-3", customerId: "customer-a");

        var outcome = await Store.TryStartAsync(
            Start(newer) with
            {
                Supersede =
                [
                    new InstanceEnd(Checkout, "cart-1", i => Ended(i, Clock.Now, JourneyStatus.Exited, "superseded")),
                    new InstanceEnd(Checkout, "cart-2", _ => null),
                    new InstanceEnd(Checkout, "cart-none", i => Ended(i, Clock.Now, JourneyStatus.Exited, "superseded")),
                ],
            },
            CancellationToken.None);

        Assert.True(outcome.IsStarted);
        Assert.Equal([older.Id], outcome.Ended.Select(e => e.Instance.Id));
        Assert.Equal(JourneyStatus.Exited, (await Store.GetAsync(older.Id, CancellationToken.None))?.Status);
        Assert.Equal(JourneyStatus.Active, (await Store.GetAsync(declined.Id, CancellationToken.None))?.Status);
        Assert.Equal(JourneyStatus.Active, (await Store.GetAsync(newer.Id, CancellationToken.None))?.Status);
    }

    /// <summary>An ended instance with exit actions to run is due: claimed, run, and done once nothing is left.</summary>
    [Fact]
    public async Task ClaimDue_EndedInstanceWithExitActions_IsClaimedUntilTheyHaveRun()
    {
        var instance = await StartAsync(NewInstance("order-1"));
        var ending = await Store.UpdateActiveAsync(Checkout, "order-1", i => Ended(i, Clock.Now, JourneyStatus.Converted, "OrderPaid") is var e
            ? e with { Instance = e.Instance with { NextStepId = "leave-list", WakeUpAt = Clock.Now, StepDueAt = Clock.Now } }
            : null, CancellationToken.None);
        Assert.NotNull(ending);

        Assert.Equal(Clock.Now, await Store.GetNextWakeUpAsync(CancellationToken.None));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        Assert.Equal(instance.Id, claim.Instance.Id);
        Assert.Equal(JourneyStatus.Converted, claim.Instance.Status);
        Assert.Equal("leave-list", claim.Instance.NextStepId);
        var done = claim.Instance with { NextStepId = null, WakeUpAt = null, StepDueAt = null };
        await claim.CommitAsync(new JourneyTransition(done, [new JourneyRecord(instance.Id, Checkout, Clock.Now, JourneyRecordKind.Sent) { StepId = "leave-list", Channel = "crm-list" }]), CancellationToken.None);

        Assert.Empty(await Store.ClaimDueAsync(Clock.Now + Duration.FromDays(1), 10, CancellationToken.None));
        Assert.Null(await Store.GetNextWakeUpAsync(CancellationToken.None));
        AssertSameInstance(done, await Store.GetAsync(instance.Id, CancellationToken.None));

        // An ended instance is not active: the key is free for a start (no exit was remembered here).
        await StartAsync(NewInstance("order-1"));
    }

    /// <summary>Erasing a customer forgets the exits remembered for them and for their keys.</summary>
    [Fact]
    public async Task EraseCustomer_ForgetsTheExitsRememberedForTheCustomer()
    {
        await StartAsync(NewInstance("order-1", customerId: "customer-a"));
        await Store.ExitAsync(Exit("order-1"), i => Ended(i, Clock.Now, JourneyStatus.Converted, "OrderPaid"), CancellationToken.None);
        await StartAsync(NewInstance("order-2", customerId: "customer-a"));
        await Store.ExitAsync(Exit("order-3"), _ => null, CancellationToken.None);

        await Store.EraseCustomerAsync("customer-a", CancellationToken.None);

        await StartAsync(NewInstance("order-1", customerId: "customer-a"));
        Assert.True((await Store.TryStartAsync(Start(NewInstance("order-3", customerId: "customer-b")), CancellationToken.None)).IsRefused, "another customer's exit must be kept");
    }

    /// <summary>An exit remembered for <paramref name="key"/> of the checkout journey.</summary>
    /// <param name="key">The correlation key.</param>
    /// <param name="at">When it happened; now by default.</param>
    /// <param name="expiresIn">How long it is remembered after <paramref name="at"/>; 7 days by default.</param>
    protected RememberedExit Exit(string key, Instant? at = null, Duration? expiresIn = null)
    {
        var happened = at ?? Clock.Now;
        return new RememberedExit(Checkout, key, "OrderPaid", happened, happened + (expiresIn ?? Duration.FromDays(7)));
    }
}
