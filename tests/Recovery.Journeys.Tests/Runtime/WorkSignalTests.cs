using NodaTime;
using Recovery.Journeys.Runtime;

namespace Recovery.Journeys.Tests.Runtime;

/// <summary>
/// What wakes the due-step loop while it waits on slow steps: new work due before its timer, not work due after it
/// (a trigger's first step, usually minutes away), and anything until it has said when its timer fires.
/// </summary>
public sealed class WorkSignalTests
{
    private static readonly Instant Timer = Instant.FromUtc(2026, 3, 1, 10, 0);

    [Fact]
    public void Raise_WorkDueAfterTheListenersTimer_DoesNotWakeIt()
    {
        var signal = new WorkSignal();
        using var listener = signal.Listen();
        listener.WakeOnlyBefore(Timer);

        signal.Raise(Timer);
        signal.Raise(Timer + Duration.FromMinutes(5));

        listener.Task.IsCompleted.Should().BeFalse("the timer wakes the loop at that instant anyway");
    }

    [Fact]
    public void Raise_WorkDueBeforeTheListenersTimer_WakesIt()
    {
        var signal = new WorkSignal();
        using var listener = signal.Listen();
        listener.WakeOnlyBefore(Timer);

        signal.Raise(Timer - Duration.FromTicks(1));

        listener.Task.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public void Raise_BeforeTheListenerSetItsTimer_WakesIt()
    {
        // The loop listens, then reads the store's next wake-up, then sets its timer: work made in between is not lost.
        var signal = new WorkSignal();
        using var listener = signal.Listen();

        signal.Raise(Timer + Duration.FromDays(1));

        listener.Task.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public void Raise_WithoutAnInstant_WakesEveryListener()
    {
        var signal = new WorkSignal();
        using var first = signal.Listen();
        using var second = signal.Listen();
        first.WakeOnlyBefore(Timer);
        second.WakeOnlyBefore(Timer + Duration.FromHours(1));

        signal.Raise();

        first.Task.IsCompletedSuccessfully.Should().BeTrue();
        second.Task.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public void Raise_EachListenerByItsOwnTimer()
    {
        var signal = new WorkSignal();
        using var early = signal.Listen();
        using var late = signal.Listen();
        early.WakeOnlyBefore(Timer);
        late.WakeOnlyBefore(Timer + Duration.FromHours(1));

        signal.Raise(Timer + Duration.FromMinutes(30));

        early.Task.IsCompleted.Should().BeFalse();
        late.Task.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public void Raise_AfterTheListenerStopped_DoesNotWakeIt()
    {
        var signal = new WorkSignal();
        var listener = signal.Listen();
        listener.Dispose();

        signal.Raise();

        listener.Task.IsCompleted.Should().BeFalse();
    }
}
