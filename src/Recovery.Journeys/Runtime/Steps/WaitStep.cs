using NodaTime.Text;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>
/// Waits for an event with the instance's correlation key. When reached it starts waiting (the step's progress is
/// <c>waiting</c> and it wakes at the deadline); the engine moves the instance to the event's path if the event
/// arrives in time; if the step wakes at the deadline, it takes the timeout's path.
/// </summary>
internal sealed class WaitStep<TEvent>(string id, StepTiming timing, Type awaited, NodaTime.Duration timeout, string? onEventStepId, string? onTimeoutStepId)
    : JourneyStep<TEvent>(id, ["wait"], ChannelMode.Single, timing)
{
    public Type Awaited => awaited;

    public NodaTime.Duration Timeout => timeout;

    public string? OnEventStepId => onEventStepId;

    public override IReadOnlyList<StepTransition> Transitions => [new("event", onEventStepId), new("timeout", onTimeoutStepId)];

    public override ValueTask<StepResult> RunAsync(StepRun<TEvent> run, CancellationToken cancellationToken)
    {
        if (run.Progress == WaitProgress.Waiting)
        {
            return ValueTask.FromResult(new StepResult([new(JourneyRecordKind.TimedOut, "wait", awaited.Name)]) { NextStepId = onTimeoutStepId, Branches = true });
        }

        var deadline = run.Context.Now + timeout;
        return ValueTask.FromResult(new StepResult([new(JourneyRecordKind.Waiting, "wait", $"for {awaited.Name} until {InstantPattern.ExtendedIso.Format(deadline)}")])
        {
            RunAgainAt = deadline,
            Progress = WaitProgress.Waiting,
        });
    }
}

/// <summary>The progress a wait step keeps while it waits.</summary>
internal static class WaitProgress
{
    public const string Waiting = "waiting";
}
