using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Xunit;

namespace Recovery.Journeys.Testing.Xunit.Conformance;

public abstract partial class JourneyStoreConformanceTests
{
    /// <summary>A paused journey's instances are neither claimed nor reported due; another journey's are.</summary>
    [Fact]
    public async Task Pause_HoldsTheJourneysInstances_AndOnlyThem()
    {
        var held = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now - Duration.FromMinutes(1)));
        var other = await StartAsync(NewInstance("order-2", wakeUpAt: Clock.Now, journeyName: "coupon-follow-up"));

        await Store.SetPauseAsync(new JourneyPause(Checkout, Clock.Now, AdmitsNewInstances: false), CancellationToken.None);

        Assert.Equal(other.WakeUpAt, await Store.GetNextWakeUpAsync(CancellationToken.None));
        var claims = await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None);
        Assert.Equal([other.Id], claims.Select(c => c.Instance.Id));
        await DisposeAllAsync(claims);
        Assert.Null(await Store.TryClaimAsync(held.Id, Clock.Now, CancellationToken.None));
        var pause = Assert.Single(await Store.GetPausesAsync(CancellationToken.None));
        Assert.Equal(new JourneyPause(Checkout, Clock.Now, false), pause);
    }

    /// <summary>Resuming makes the held instances due again and writes on each held timeline from when to when it was held.</summary>
    [Fact]
    public async Task ClearPause_MakesHeldInstancesDue_AndRecordsTheHold()
    {
        var pausedAt = Clock.Now;
        await Store.SetPauseAsync(new JourneyPause(Checkout, pausedAt, AdmitsNewInstances: true), CancellationToken.None);
        var held = await StartAsync(NewInstance("order-1", wakeUpAt: pausedAt + Duration.FromMinutes(5)));
        var later = await StartAsync(NewInstance("order-2", wakeUpAt: pausedAt + Duration.FromHours(5)));
        Clock.Advance(Duration.FromHours(1));
        Assert.Empty(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));

        var ended = await Store.ClearPauseAsync(Checkout, Clock.Now, CancellationToken.None);

        Assert.NotNull(ended);
        Assert.Equal(pausedAt, ended.Pause.PausedAt);
        Assert.Equal([held.Id], ended.HeldInstances);
        Assert.Empty(await Store.GetPausesAsync(CancellationToken.None));
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        Assert.Equal(held.Id, claim.Instance.Id);
        await claim.DisposeAsync();
        var hold = Assert.Single(await Store.GetTimelineAsync(held.Id, CancellationToken.None), r => r.Kind == JourneyRecordKind.Held);
        Assert.Equal(Clock.Now, hold.At);
        Assert.Equal("step-1", hold.StepId);
        Assert.DoesNotContain(await Store.GetTimelineAsync(later.Id, CancellationToken.None), r => r.Kind == JourneyRecordKind.Held);
        Assert.Null(await Store.ClearPauseAsync(Checkout, Clock.Now, CancellationToken.None));
    }

    /// <summary>
    /// A resume's <see cref="JourneyRecordKind.Held"/> entry says, in the words every store uses, from when to when the
    /// step was held; a held instance already ended, or whose step falls due after the resume, gets none.
    /// </summary>
    [Fact]
    public async Task ClearPause_HeldEntry_SaysFromWhenToWhenInEveryStoresWords()
    {
        var pausedAt = Clock.Now;
        var held = await StartAsync(NewInstance("order-1", wakeUpAt: pausedAt + Duration.FromMinutes(1)));
        var ended = await StartAsync(NewInstance("order-2", wakeUpAt: pausedAt + Duration.FromMinutes(1)));
        await Store.UpdateActiveAsync(Checkout, "order-2", i => Ended(i, Clock.Now, JourneyStatus.Converted, "OrderPaid"), CancellationToken.None);
        await Store.SetPauseAsync(new JourneyPause(Checkout, pausedAt, AdmitsNewInstances: false), CancellationToken.None);
        Clock.Advance(Duration.FromMinutes(90) + Duration.FromTicks(1234567));

        var end = await Store.ClearPauseAsync(Checkout, Clock.Now, CancellationToken.None);

        Assert.NotNull(end);
        Assert.Equal([held.Id], end.HeldInstances);
        var hold = Assert.Single(await Store.GetTimelineAsync(held.Id, CancellationToken.None), r => r.Kind == JourneyRecordKind.Held);
        var from = NodaTime.Text.InstantPattern.ExtendedIso.Format(pausedAt);
        var to = NodaTime.Text.InstantPattern.ExtendedIso.Format(Clock.Now);
        Assert.Equal($"held while the journey was paused, from {from} to {to}", hold.Detail);
        Assert.Equal((Checkout, Clock.Now, "step-1", (string?)null), (hold.JourneyName, hold.At, hold.StepId, hold.Channel));
        Assert.DoesNotContain(await Store.GetTimelineAsync(ended.Id, CancellationToken.None), r => r.Kind == JourneyRecordKind.Held);
    }

    /// <summary>Pausing a paused journey again replaces its pause; pauses of several journeys are kept apart.</summary>
    [Fact]
    public async Task SetPause_Again_ReplacesThePause_AndEachJourneyKeepsItsOwn()
    {
        var first = Clock.Now;
        await Store.SetPauseAsync(new JourneyPause(Checkout, first, AdmitsNewInstances: true), CancellationToken.None);
        await Store.SetPauseAsync(new JourneyPause("coupon-follow-up", first, AdmitsNewInstances: true), CancellationToken.None);
        Clock.Advance(Duration.FromMinutes(1));

        await Store.SetPauseAsync(new JourneyPause(Checkout, Clock.Now, AdmitsNewInstances: false), CancellationToken.None);

        var pauses = (await Store.GetPausesAsync(CancellationToken.None)).OrderBy(p => p.JourneyName, StringComparer.Ordinal).ToList();
        Assert.Equal([new JourneyPause(Checkout, Clock.Now, false), new JourneyPause("coupon-follow-up", first, true)], pauses);
        Assert.NotNull(await Store.ClearPauseAsync("coupon-follow-up", Clock.Now, CancellationToken.None));
        Assert.Equal([new JourneyPause(Checkout, Clock.Now, false)], await Store.GetPausesAsync(CancellationToken.None));
    }

    /// <summary>An ended instance's exit actions are held with its journey too, and run once it resumes.</summary>
    [Fact]
    public async Task Pause_HoldsExitActionsOfEndedInstances()
    {
        var instance = await StartAsync(NewInstance("order-1"));
        await Store.UpdateActiveAsync(Checkout, "order-1", i => Ended(i, Clock.Now, JourneyStatus.Converted, "OrderPaid") is var e
            ? e with { Instance = e.Instance with { NextStepId = "leave-list", WakeUpAt = Clock.Now, StepDueAt = Clock.Now } }
            : null, CancellationToken.None);
        await Store.SetPauseAsync(new JourneyPause(Checkout, Clock.Now, AdmitsNewInstances: true), CancellationToken.None);

        Assert.Null(await Store.GetNextWakeUpAsync(CancellationToken.None));
        Assert.Empty(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        Assert.Null(await Store.TryClaimAsync(instance.Id, Clock.Now, CancellationToken.None));

        var end = await Store.ClearPauseAsync(Checkout, Clock.Now, CancellationToken.None);

        Assert.Empty(end!.HeldInstances);
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));
        Assert.Equal(("leave-list", JourneyStatus.Converted), (claim.Instance.NextStepId, claim.Instance.Status));
        await claim.DisposeAsync();
    }
}
