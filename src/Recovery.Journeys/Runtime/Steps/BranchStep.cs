using Recovery.Journeys.Definition;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>Chooses a path when reached: <c>then</c> when the condition holds, <c>else</c> otherwise.</summary>
internal sealed class BranchStep<TEvent>(string id, StepTiming timing, Func<StepContext<TEvent>, bool> condition, string conditionText, string? thenStepId, string? elseStepId)
    : JourneyStep<TEvent>(id, ["if"], ChannelMode.Single, timing)
{
    /// <summary>The condition's source text.</summary>
    public string Condition => conditionText;

    public override IReadOnlyList<StepTransition> Transitions => [new("then", thenStepId), new("else", elseStepId)];

    public override ValueTask<StepResult> RunAsync(StepRun<TEvent> run, CancellationToken cancellationToken)
    {
        try
        {
            var holds = condition(run.Context);
            return ValueTask.FromResult(new StepResult([new(JourneyRecordKind.Branched, "if", holds ? "then" : "else")])
            {
                NextStepId = holds ? thenStepId : elseStepId,
                Branches = true,
            });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A condition that throws will throw again: record it and take the Else path rather than retry.
            return ValueTask.FromResult(new StepResult([
                new(JourneyRecordKind.Failed, "if", $"the condition threw {Attempt.Describe(e)}"),
                new(JourneyRecordKind.Branched, "if", "else"),
            ])
            {
                NextStepId = elseStepId,
                Branches = true,
            });
        }
    }
}
