using NodaTime;

namespace Recovery.Journeys.Definition;

/// <summary>
/// Waits for an event with the instance's correlation key, at most <see cref="Timeout"/>: the journey goes on along
/// <see cref="OnEventStepId"/> if it arrives in time, along <see cref="OnTimeoutStepId"/> if not.
/// </summary>
internal sealed class WaitStep(string id, StepTiming timing, string? nextStepId, Type awaited, Duration timeout, string? onEventStepId, string? onTimeoutStepId)
    : JourneyStep(id, StepKind.Control, [Channel], ChannelMode.Single, timing, nextStepId)
{
    /// <summary>The channel name of waits on timelines.</summary>
    public new const string Channel = "wait";

    /// <summary>The progress a wait step keeps while it waits.</summary>
    public const string Waiting = "waiting";

    public Type Awaited => awaited;

    public Duration Timeout => timeout;

    public string? OnEventStepId => onEventStepId;

    public string? OnTimeoutStepId => onTimeoutStepId;

    public override IReadOnlyList<StepTransition> Transitions => [new("event", onEventStepId), new("timeout", onTimeoutStepId)];
}
