namespace Recovery.Journeys.Engine;

/// <summary>What publishing one event did to the journeys.</summary>
public sealed record PublishResult
{
    /// <summary>The result for an event no journey listens to: nothing happened.</summary>
    public static PublishResult Unhandled { get; } = new() { IsHandled = false };

    /// <summary>Whether any journey listens to the event's type (as a trigger or an exit).</summary>
    public bool IsHandled { get; init; } = true;

    /// <summary>The instances the event started.</summary>
    public IReadOnlyList<JourneyInstanceId> Started { get; init; } = [];

    /// <summary>The instances the event ended (converted, exited, or restarted away).</summary>
    public IReadOnlyList<JourneyInstanceId> Ended { get; init; } = [];

    /// <summary>The active instances that ignored the event as a repeated trigger.</summary>
    public IReadOnlyList<JourneyInstanceId> Ignored { get; init; } = [];
}
