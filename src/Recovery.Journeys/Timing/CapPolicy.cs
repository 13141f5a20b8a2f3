namespace Recovery.Journeys.Timing;

/// <summary>What a step does when sending would break a frequency cap.</summary>
public enum CapPolicy
{
    /// <summary>The step waits until the oldest message in the period falls out of it. The default.</summary>
    Defer = 0,

    /// <summary>The step is skipped with a reason, and the journey goes on.</summary>
    Skip = 1,
}
