namespace Recovery.Journeys.Definition;

/// <summary>A host action (<c>Do</c>): the host's code, retried like a channel.</summary>
internal sealed class ActionStep<TEvent>(string id, StepTiming timing, string? nextStepId, Func<StepContext<TEvent>, CancellationToken, ValueTask> action)
    : JourneyStep(id, StepKind.HostAction, [Channel], ChannelMode.Single, timing, nextStepId)
{
    /// <summary>The channel name of host actions on timelines.</summary>
    public new const string Channel = "action";

    public Func<StepContext<TEvent>, CancellationToken, ValueTask> Action => action;
}
