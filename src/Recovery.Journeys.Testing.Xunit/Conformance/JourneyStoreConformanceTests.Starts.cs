using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Xunit;

namespace Recovery.Journeys.Testing.Xunit.Conformance;

public abstract partial class JourneyStoreConformanceTests
{
    /// <summary>A started instance is kept as written, with its first records.</summary>
    [Fact]
    public async Task TryStart_NewKey_KeepsTheInstanceAndItsFirstRecords()
    {
        var instance = NewInstance("order-1") with { Variables = Variables(("variant", "B"), ("coupon", "ÉTÉ-10 %")) };

        var outcome = await Store.TryStartAsync(Start(instance), CancellationToken.None);

        Assert.True(outcome.IsStarted);
        Assert.Null(outcome.ActiveInstanceId);
        AssertSameInstance(instance, await Store.GetAsync(instance.Id, CancellationToken.None));
        Assert.Equal(Entered(instance).Records, await Store.GetTimelineAsync(instance.Id, CancellationToken.None));
    }

    /// <summary>One active instance per journey and key: a second start is refused and names the active one.</summary>
    [Fact]
    public async Task TryStart_KeyAlreadyActive_IsRefusedWithTheActiveInstance()
    {
        var first = await StartAsync(NewInstance("order-1"));
        var second = NewInstance("order-1");

        var outcome = await Store.TryStartAsync(Start(second), CancellationToken.None);

        Assert.False(outcome.IsStarted);
        Assert.Equal(first.Id, outcome.ActiveInstanceId);
        Assert.Null(await Store.GetAsync(second.Id, CancellationToken.None));
        Assert.Empty(await Store.GetTimelineAsync(second.Id, CancellationToken.None));
        Assert.Single(await Store.FindAsync(new JourneyInstanceQuery(CorrelationKey: "order-1"), CancellationToken.None));
    }

    /// <summary>The key is per journey: another journey starts for the same key.</summary>
    [Fact]
    public async Task TryStart_SameKeyInAnotherJourney_Starts()
    {
        await StartAsync(NewInstance("order-1"));

        await StartAsync(NewInstance("order-1", journeyName: "coupon-follow-up"));

        Assert.Equal(2, (await Store.FindAsync(new JourneyInstanceQuery(CorrelationKey: "order-1"), CancellationToken.None)).Count);
    }

    /// <summary>Once the active instance ended, the key is free again, and both instances are kept.</summary>
    [Fact]
    public async Task TryStart_KeyWhoseInstanceEnded_Starts()
    {
        var first = await StartAsync(NewInstance("order-1"));
        var ended = await Store.UpdateActiveAsync(Checkout, "order-1", i => Ended(i, Clock.Now, JourneyStatus.Exited, "OrderCancelled"), CancellationToken.None);
        Assert.NotNull(ended);

        var second = await StartAsync(NewInstance("order-1"));

        var found = await Store.FindAsync(new JourneyInstanceQuery(CorrelationKey: "order-1"), CancellationToken.None);
        Assert.Equal([first.Id, second.Id], found.Select(i => i.Id));
        Assert.Equal(JourneyStatus.Exited, found[0].Status);
        Assert.Equal(JourneyStatus.Active, found[1].Status);
    }

    /// <summary>Racing starts for one key: exactly one wins, and every loser names the winner.</summary>
    [Fact]
    public async Task TryStart_ConcurrentStartsForOneKey_ExactlyOneStarts()
    {
        var candidates = Enumerable.Range(0, 8).Select(_ => NewInstance("order-1")).ToList();

        var outcomes = await Within(
            Task.WhenAll(candidates.Select(c => Task.Run(async () => await Store.TryStartAsync(Start(c), CancellationToken.None)))),
            "eight concurrent starts");

        var winners = candidates.Where((_, i) => outcomes[i].IsStarted).ToList();
        var winner = Assert.Single(winners);
        Assert.All(outcomes.Where(o => !o.IsStarted), o => Assert.Equal(winner.Id, o.ActiveInstanceId));
        var found = Assert.Single(await Store.FindAsync(new JourneyInstanceQuery(CorrelationKey: "order-1"), CancellationToken.None));
        Assert.Equal(winner.Id, found.Id);
    }

    /// <summary>Instants are kept to the tick (100 ns), the precision of <see cref="TimeProvider"/>.</summary>
    [Fact]
    public async Task TryStart_InstantsWithTicks_AreKeptToTheTick()
    {
        var odd = Instant.FromUnixTimeTicks(Clock.Now.ToUnixTimeTicks() + 1_234_567);
        var instance = NewInstance("order-1", wakeUpAt: odd + Duration.FromTicks(1)) with { StartedAt = odd, LastStepAt = odd - Duration.FromTicks(3) };

        await StartAsync(instance);

        AssertSameInstance(instance, await Store.GetAsync(instance.Id, CancellationToken.None));
        Assert.Equal(odd + Duration.FromTicks(1), await Store.GetNextWakeUpAsync(CancellationToken.None));
    }
}
