using NodaTime;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Definition;

/// <summary>When a step is due: a delay after its anchor, or the next local time of day.</summary>
/// <param name="Anchor">What the delay is measured from.</param>
/// <param name="Delay">The delay; zero runs the step as soon as its anchor has passed.</param>
public readonly record struct StepTiming(StepTimingAnchor Anchor, Duration Delay)
{
    /// <summary>The local time of day, for <see cref="StepTimingAnchor.LocalTimeOfDay"/>.</summary>
    public LocalTime TimeOfDay { get; init; }

    /// <summary>
    /// How late the step may still run: past this after it fell due (an outage, a crash, a long deferral), it is
    /// skipped with the reason on the timeline and the journey moves on. <see langword="null"/> to run however late,
    /// unless the journey sets a default (<c>SkipIfLaterThan</c> before its first step).
    /// </summary>
    public Duration? MaxLateness { get; init; }

    /// <summary>
    /// The longest delay, wait or period a journey may name: 365 days. A journey that means more is a mistake (a
    /// <see cref="Duration.MaxValue"/> from a configuration file, say); <c>Build()</c> refuses it rather than every
    /// publication failing later.
    /// </summary>
    public static Duration MaxDelay { get; } = Duration.FromDays(365);

    /// <summary>Runs the step right after the previous one.</summary>
    public static StepTiming Immediately => new(StepTimingAnchor.PreviousStep, Duration.Zero);

    /// <summary>The next <paramref name="timeOfDay"/> in the customer's zone, at least <paramref name="notBefore"/> after the previous step.</summary>
    /// <param name="timeOfDay">The local time.</param>
    /// <param name="notBefore">How long after the previous step the local time may come at the earliest.</param>
    public static StepTiming AtLocalTime(LocalTime timeOfDay, Duration notBefore) =>
        new(StepTimingAnchor.LocalTimeOfDay, notBefore) { TimeOfDay = timeOfDay };

    /// <summary>Computes the instant the step is due.</summary>
    /// <param name="startedAt">When the journey started.</param>
    /// <param name="previousStepAt">When the previous step ran, or <see langword="null"/> for the first step.</param>
    /// <param name="zone">The customer's time zone, for local times of day.</param>
    public Instant DueAt(Instant startedAt, Instant? previousStepAt, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Anchor switch
        {
            StepTimingAnchor.JourneyStart => startedAt + Delay,
            StepTimingAnchor.LocalTimeOfDay => LocalTimes.NextAtOrAfter((previousStepAt ?? startedAt) + Delay, TimeOfDay, zone),
            _ => (previousStepAt ?? startedAt) + Delay,
        };
    }

    /// <summary>Describes the timing, e.g. <c>+1h after start</c> or <c>next 10:00 local</c>.</summary>
    public override string ToString() => (Anchor switch
    {
        StepTimingAnchor.LocalTimeOfDay => $"next {TimeOfDay:HH:mm} local" + (Delay == Duration.Zero ? string.Empty : $" after +{DurationText.Format(Delay)}"),
        StepTimingAnchor.PreviousStep when Delay == Duration.Zero => "immediately",
        _ => $"+{DurationText.Format(Delay)} after {(Anchor == StepTimingAnchor.JourneyStart ? "start" : "previous step")}",
    }) + (MaxLateness is { } late ? $", skipped if later than {DurationText.Format(late)}" : string.Empty);
}
