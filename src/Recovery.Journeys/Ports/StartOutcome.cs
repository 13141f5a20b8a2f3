using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Ports;

/// <summary>What <see cref="IJourneyStore.TryStartAsync"/> did.</summary>
public sealed record StartOutcome
{
    // A start that ended nothing, the common outcome: immutable, so one serves every such start.
    private static readonly StartOutcome StartedAlone = new() { IsStarted = true };

    private StartOutcome()
    {
    }

    /// <summary>Whether the instance was created.</summary>
    public bool IsStarted { get; private init; }

    /// <summary>The active instance that prevented the start (same journey and key, no replacement asked), if any.</summary>
    public JourneyInstanceId? ActiveInstanceId { get; private init; }

    /// <summary>Whether the start was refused (an exit remembered for the key, or a stale trigger); the refusal was recorded.</summary>
    public bool IsRefused { get; private init; }

    /// <summary>The remembered exit that refused the start, if that was the reason.</summary>
    public RememberedExit? RefusedBy { get; private init; }

    /// <summary>The instances the start ended (the one it replaced, those it superseded), as committed.</summary>
    public IReadOnlyList<JourneyTransition> Ended { get; private init; } = [];

    /// <summary>The instance was created; <paramref name="ended"/> ended with it.</summary>
    /// <param name="ended">The instances ended in the same operation.</param>
    public static StartOutcome Started(IReadOnlyList<JourneyTransition>? ended = null) => ended is null or { Count: 0 } ? StartedAlone : new() { IsStarted = true, Ended = ended };

    /// <summary>The start was prevented by an active instance for the same journey and key.</summary>
    /// <param name="activeInstanceId">That instance.</param>
    public static StartOutcome AlreadyActive(JourneyInstanceId activeInstanceId) => new() { ActiveInstanceId = activeInstanceId };

    /// <summary>The start was refused, and the refusal recorded.</summary>
    /// <param name="exit">The exit remembered for the key that refused it, or <see langword="null"/> for a stale trigger.</param>
    public static StartOutcome Refused(RememberedExit? exit) => new() { IsRefused = true, RefusedBy = exit };
}
