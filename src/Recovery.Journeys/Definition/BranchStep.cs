namespace Recovery.Journeys.Definition;

/// <summary>Chooses a path when reached: <c>then</c> when the condition holds, <c>else</c> otherwise.</summary>
internal sealed class BranchStep<TEvent>(
    string id,
    StepTiming timing,
    string? nextStepId,
    Func<StepContext<TEvent>, bool> condition,
    string conditionText,
    string? thenStepId,
    string? elseStepId)
    : JourneyStep(id, StepKind.Control, [Channel], ChannelMode.Single, timing, nextStepId)
{
    /// <summary>The channel name of branches on timelines.</summary>
    public new const string Channel = "if";

    public Func<StepContext<TEvent>, bool> Condition => condition;

    /// <summary>The condition's source text, for diagrams.</summary>
    public string ConditionText => conditionText;

    public string? ThenStepId => thenStepId;

    public string? ElseStepId => elseStepId;

    public override IReadOnlyList<StepTransition> Transitions => [new("then", thenStepId), new("else", elseStepId)];
}
