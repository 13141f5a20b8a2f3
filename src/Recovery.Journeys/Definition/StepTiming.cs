using NodaTime;
using Recovery.Journeys.Time;

namespace Recovery.Journeys;

/// <summary>What a step's delay is measured from.</summary>
public enum StepTimingAnchor
{
    /// <summary>From when the previous step ran (from the start, for the first step): <c>.After(...)</c>.</summary>
    PreviousStep = 0,

    /// <summary>From when the journey started: <c>.AfterStart(...)</c>, for "+5 min, +1 h, +24 h after abandonment".</summary>
    JourneyStart = 1,
}

/// <summary>When a step is due: a delay after its anchor.</summary>
/// <param name="Anchor">What the delay is measured from.</param>
/// <param name="Delay">The delay; zero runs the step as soon as its anchor has passed.</param>
public readonly record struct StepTiming(StepTimingAnchor Anchor, Duration Delay)
{
    /// <summary>Runs the step right after the previous one.</summary>
    public static StepTiming Immediately => new(StepTimingAnchor.PreviousStep, Duration.Zero);

    /// <summary>Computes the instant the step is due.</summary>
    /// <param name="startedAt">When the journey started.</param>
    /// <param name="previousStepAt">When the previous step ran, or <see langword="null"/> for the first step.</param>
    public Instant DueAt(Instant startedAt, Instant? previousStepAt) =>
        (Anchor == StepTimingAnchor.JourneyStart ? startedAt : previousStepAt ?? startedAt) + Delay;

    /// <summary>Describes the timing, e.g. <c>+1h after start</c>.</summary>
    public override string ToString() => Delay == Duration.Zero && Anchor == StepTimingAnchor.PreviousStep
        ? "immediately"
        : $"+{DurationText.Format(Delay)} after {(Anchor == StepTimingAnchor.JourneyStart ? "start" : "previous step")}";
}
