using NodaTime.Text;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>Runs the steps that steer the journey without acting: branches, waits for an event, experiments' splits.</summary>
internal static class ControlStepExecutor
{
    /// <summary>Chooses <c>then</c> when the condition holds, <c>else</c> otherwise (also when it throws: the failure is recorded, not retried).</summary>
    public static StepResult Branch<TEvent>(BranchStep<TEvent> step, StepRun<TEvent> run)
    {
        try
        {
            var holds = step.Condition(run.Context);
            return new StepResult([new(JourneyRecordKind.Branched, BranchStep<TEvent>.Channel, holds ? "then" : "else")])
            {
                NextStepId = holds ? step.ThenStepId : step.ElseStepId,
                Branches = true,
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new StepResult([
                new(JourneyRecordKind.Failed, BranchStep<TEvent>.Channel, $"the condition threw {Attempt.Describe(e, run.Services.Options)}"),
                new(JourneyRecordKind.Branched, BranchStep<TEvent>.Channel, "else"),
            ])
            {
                NextStepId = step.ElseStepId,
                Branches = true,
            };
        }
    }

    /// <summary>
    /// Starts waiting (the step's progress becomes <see cref="WaitStep.Waiting"/> and it wakes at the deadline); when it
    /// wakes at the deadline, the event did not come and the timeout's path is taken. The event's arrival is routed by
    /// the engine (<see cref="InstanceLifecycle.Resume"/>).
    /// </summary>
    public static StepResult Wait<TEvent>(WaitStep step, StepRun<TEvent> run)
    {
        if (run.Progress == WaitStep.Waiting)
        {
            return new StepResult([new(JourneyRecordKind.TimedOut, WaitStep.Channel, step.Awaited.Name)]) { NextStepId = step.OnTimeoutStepId, Branches = true };
        }

        var deadline = run.Context.Now + step.Timeout;
        return new StepResult([new(JourneyRecordKind.Waiting, WaitStep.Channel, $"for {step.Awaited.Name} until {InstantPattern.ExtendedIso.Format(deadline)}")])
        {
            RunAgainAt = deadline,
            Progress = WaitStep.Waiting,
        };
    }

    /// <summary>
    /// Sends the instance down one variant's path: the variant kept on the instance if it has one (a retry, a restart),
    /// else the one the customer's bucket falls in. Records the assignment on the timeline and among the variables.
    /// </summary>
    public static StepResult Experiment<TEvent>(ExperimentStep step, StepRun<TEvent> run)
    {
        var context = run.Context;
        var index = context.Variables.TryGetValue(step.VariableName, out var kept) && step.IndexOf(kept) is { } keptIndex
            ? keptIndex
            : step.Choose(context.JourneyName, context.AssignmentUnit);
        var variant = step.Variants[index].Name;
        return new StepResult([new(JourneyRecordKind.Assigned, Experiments.ExperimentVariables.Channel, variant)])
        {
            NextStepId = step.Targets[index],
            Branches = true,
            Variables = new Dictionary<string, string?> { [step.VariableName] = variant },
        };
    }
}
