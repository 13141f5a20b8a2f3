using NodaTime;
using NodaTime.Text;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// What a start hands the store for a trigger it refuses (an exit remembered for the key, a stale trigger): the
/// instance, ended before it began, and why (<see cref="InstanceLifecycle.Refuse"/>).
/// </summary>
internal static class StartRefusal
{
    /// <summary>
    /// The refusal of a start: for a trigger without its own instant (most), a delegate bound to the instance made
    /// for it, which knows the rest (it started now), so that a start allocates no closure for a refusal it rarely needs.
    /// </summary>
    public static Func<RememberedExit?, JourneyTransition> Of(JourneyDefinition journey, JourneyInstance waiting, Instant now, Instant? occurredAt) =>
        occurredAt is null && waiting.StartedAt == now ? waiting.RefusedBy : Capturing(journey, waiting, now, occurredAt);

    /// <summary>Why a trigger is refused: the exit remembered for its key, or, without one, that it is stale.</summary>
    public static string Why(RememberedExit? exit, Instant? occurredAt, Duration maxAge, Instant now) =>
        exit is null
            ? $"stale: the trigger happened {DurationText.Format(now - occurredAt!.Value)} before it arrived (at most {DurationText.Format(maxAge)})"
            : occurredAt is { } occurred
                ? $"{exit.EventType} at {InstantPattern.ExtendedIso.Format(exit.At)} is remembered for this key, and the trigger happened before it ({InstantPattern.ExtendedIso.Format(occurred)})"
                : $"{exit.EventType} at {InstantPattern.ExtendedIso.Format(exit.At)} is remembered for this key (until {InstantPattern.ExtendedIso.Format(exit.ExpiresAt)})";

    // Without an instant of its own, a trigger is never stale: only a remembered exit refuses it (the maximum age is unused).
    private static JourneyTransition RefusedBy(this JourneyInstance waiting, RememberedExit? exit) =>
        InstanceLifecycle.Refuse(waiting, waiting.StartedAt, Why(exit, occurredAt: null, Duration.Zero, waiting.StartedAt));

    // In a method of its own: a lambda in Of would make Of allocate its closure at every call, whichever branch it takes.
    private static Func<RememberedExit?, JourneyTransition> Capturing(JourneyDefinition journey, JourneyInstance waiting, Instant now, Instant? occurredAt) =>
        exit => InstanceLifecycle.Refuse(waiting, now, Why(exit, occurredAt, journey.MaxTriggerAge, now));
}
