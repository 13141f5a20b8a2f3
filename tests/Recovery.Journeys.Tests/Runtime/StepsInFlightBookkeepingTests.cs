using Recovery.Journeys.Runtime;

namespace Recovery.Journeys.Tests.Runtime;

/// <summary>
/// The loop's count of steps waiting on I/O: each step reports its own end, so the loop reaps exactly the ones that
/// ended, without looking at the others.
/// </summary>
public sealed class StepsInFlightBookkeepingTests
{
    [Fact]
    public void Reap_TakesOnlyTheStepsThatEnded_AndCountsTheSuccessful()
    {
        var inFlight = new StepsInFlight();
        var steps = Enumerable.Range(0, 5).Select(_ => new TaskCompletionSource()).ToArray();
        foreach (var step in steps)
        {
            inFlight.Add(step.Task);
        }

        steps[1].SetResult();
        steps[3].SetResult();
        Exception? failure = null;
        var reaped = inFlight.Reap(ref failure);

        reaped.Should().Be(2);
        inFlight.Count.Should().Be(3);
        failure.Should().BeNull();
    }

    [Fact]
    public void Reap_AFailedStep_KeepsTheFirstFailure()
    {
        var inFlight = new StepsInFlight();
        var failing = new TaskCompletionSource();
        var alsoFailing = new TaskCompletionSource();
        inFlight.Add(failing.Task);
        inFlight.Add(alsoFailing.Task);

        failing.SetException(new InvalidOperationException("first"));
        alsoFailing.SetException(new InvalidOperationException("second"));
        Exception? failure = null;
        var reaped = inFlight.Reap(ref failure);

        reaped.Should().Be(0);
        inFlight.Count.Should().Be(0);
        failure!.Message.Should().Be("first");
    }

    [Fact]
    public void ListenForEnd_CompletesWhenAStepEnds_OrAtOnceWhenOneEndedUnreaped()
    {
        var inFlight = new StepsInFlight();
        var first = new TaskCompletionSource();
        var second = new TaskCompletionSource();
        inFlight.Add(first.Task);
        inFlight.Add(second.Task);

        using var waiting = inFlight.ListenForEnd();
        var beforeAnyEnd = waiting.Task.IsCompleted;
        first.SetResult();
        var afterTheFirstEnd = waiting.Task.IsCompletedSuccessfully;
        using var again = inFlight.ListenForEnd();

        beforeAnyEnd.Should().BeFalse();
        afterTheFirstEnd.Should().BeTrue();
        again.Task.IsCompletedSuccessfully.Should().BeTrue("the first step ended and was not reaped yet");
    }
}
