using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Xunit;

namespace Recovery.Journeys.Testing.Conformance;

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
}
