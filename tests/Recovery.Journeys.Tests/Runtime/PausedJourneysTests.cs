using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;

namespace Recovery.Journeys.Tests.Runtime;

/// <summary>
/// The pauses the router reads for every trigger: a pause another process made is seen within a second (not
/// before: the store is read at most once a second), and one this engine made or lifted is seen at once.
/// </summary>
public sealed class PausedJourneysTests
{
    private static readonly JourneyPause Pause = new("cart", FakeClock.DefaultStart, AdmitsNewInstances: false);

    [Fact]
    public async Task APauseMadeElsewhere_IsSeenOneSecondAfterTheLastRead_NotBefore()
    {
        var clock = new FakeClock();
        var store = new InMemoryJourneyStore();
        var paused = new PausedJourneys(store, clock);

        (await paused.OfAsync("cart", default)).Should().BeNull();
        await store.SetPauseAsync(Pause, default);
        clock.Advance(Duration.FromMilliseconds(999));
        var justBefore = await paused.OfAsync("cart", default);
        clock.Advance(Duration.FromMilliseconds(1));
        var atOneSecond = await paused.OfAsync("cart", default);

        justBefore.Should().BeNull("the store was read 999 ms ago");
        atOneSecond.Should().Be(Pause);
        (await paused.OfAsync("checkout", default)).Should().BeNull("another journey is not paused");
    }

    [Fact]
    public async Task Invalidate_ReadsTheStoreAgainAtOnce()
    {
        var clock = new FakeClock();
        var store = new InMemoryJourneyStore();
        var paused = new PausedJourneys(store, clock);
        (await paused.OfAsync("cart", default)).Should().BeNull();

        await store.SetPauseAsync(Pause, default);
        paused.Invalidate();
        var afterPause = await paused.OfAsync("cart", default);
        await store.ClearPauseAsync("cart", clock.Now, default);
        var cached = await paused.OfAsync("cart", default);
        paused.Invalidate();
        var afterResume = await paused.OfAsync("cart", default);

        afterPause.Should().Be(Pause);
        cached.Should().Be(Pause, "the resume was not made through this engine, and no time has passed");
        afterResume.Should().BeNull();
    }
}
