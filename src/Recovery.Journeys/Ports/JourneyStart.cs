using NodaTime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Ports;

/// <summary>
/// A start for <see cref="IJourneyStore.TryStartAsync"/>: the new instance and its first entries, the exit memory
/// check, and what ends in the same atomic operation.
/// </summary>
/// <param name="Entry">The new, active instance and its records.</param>
/// <param name="Refusal">
/// Builds what the store keeps when it refuses the start, given the remembered exit that refused it (or
/// <see langword="null"/> for a stale trigger): an ended instance whose timeline says why
/// (<see cref="JourneyRecordKind.Refused"/>), so that reports can count refusals.
/// </param>
public sealed record JourneyStart(JourneyTransition Entry, Func<RememberedExit?, JourneyTransition> Refusal)
{
    /// <summary>
    /// The trigger's own instant, when the journey knows it: it is refused only when it happened at or before the
    /// remembered exit. Without it, a remembered exit refuses every trigger for its key.
    /// </summary>
    public Instant? OccurredAt { get; init; }

    /// <summary>
    /// When the journey already has an active instance for the key: ends it with this transition and starts the new
    /// instance, in one operation (re-entry with restart). When <see langword="null"/>, the start is refused with
    /// <see cref="StartOutcome.AlreadyActive"/>.
    /// </summary>
    public Func<JourneyInstance, JourneyTransition>? Replace { get; init; }

    /// <summary>Other active instances to end in the same operation, once the start is sure (supersession, arbitration).</summary>
    public IReadOnlyList<InstanceEnd> Supersede { get; init; } = [];

    /// <summary>How old the trigger may be by its own instant when it arrives (<see cref="Instant"/> of the entry's start); <see langword="null"/> for no limit.</summary>
    public Duration? MaxAge { get; init; }

    /// <summary>Whether the trigger happened longer than <see cref="MaxAge"/> before it arrived.</summary>
    public bool IsStale => OccurredAt is { } occurred && MaxAge is { } age && Entry.Instance.StartedAt - occurred > age;

    /// <summary>Whether a remembered exit refuses this start, by the rule of <see cref="OccurredAt"/>.</summary>
    /// <param name="exit">The exit remembered for the journey and key.</param>
    /// <param name="now">The current instant; an expired exit refuses nothing.</param>
    public bool IsRefusedBy(RememberedExit exit, Instant now)
    {
        ArgumentNullException.ThrowIfNull(exit);
        return exit.ExpiresAt > now && (OccurredAt is not { } occurred || occurred <= exit.At);
    }
}
