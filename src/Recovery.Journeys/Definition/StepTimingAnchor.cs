namespace Recovery.Journeys.Definition;

/// <summary>What a step's delay is measured from.</summary>
public enum StepTimingAnchor
{
    /// <summary>From when the previous step ran (from the start, for the first step): <c>.After(...)</c>.</summary>
    PreviousStep = 0,

    /// <summary>From when the journey started: <c>.AfterStart(...)</c>, for "+5 min, +1 h, +24 h after abandonment".</summary>
    JourneyStart = 1,

    /// <summary>
    /// At the next given local time in the customer's time zone, once the delay after the previous step has passed:
    /// <c>.AtLocalTime(new LocalTime(10, 0))</c> is "the next 10:00 at the customer's".
    /// </summary>
    LocalTimeOfDay = 2,
}
