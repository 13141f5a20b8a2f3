using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Runtime;

/// <summary>What publishing one event did to the journeys.</summary>
public sealed record PublishResult
{
    /// <summary>The result for an event no journey listens to: nothing happened.</summary>
    public static PublishResult Unhandled { get; } = new() { IsHandled = false };

    /// <summary>Whether any journey listens to the event's type (as a trigger, an exit, a wait or a debounce).</summary>
    public bool IsHandled { get; init; } = true;

    /// <summary>The instances the event started.</summary>
    public IReadOnlyList<JourneyInstanceId> Started { get; init; } = [];

    /// <summary>The instances the event ended (converted, exited, restarted, superseded or preempted).</summary>
    public IReadOnlyList<JourneyInstanceId> Ended { get; init; } = [];

    /// <summary>The active instances that ignored the event as a repeated trigger.</summary>
    public IReadOnlyList<JourneyInstanceId> Ignored { get; init; } = [];

    /// <summary>The instances that were waiting for the event and go on along its path.</summary>
    public IReadOnlyList<JourneyInstanceId> Resumed { get; init; } = [];

    /// <summary>The instances whose wait before the next step the event restarted (debounce).</summary>
    public IReadOnlyList<JourneyInstanceId> WaitsRestarted { get; init; } = [];

    /// <summary>The starts a journey rule prevented (cooldown, a journey of higher priority), with the reason.</summary>
    public IReadOnlyList<SuppressedStart> Suppressed { get; init; } = [];
}
