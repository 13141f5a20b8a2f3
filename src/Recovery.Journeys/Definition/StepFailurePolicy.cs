namespace Recovery.Journeys.Definition;

/// <summary>What a journey does when one of its steps fails (its channel or action throws).</summary>
public enum StepFailurePolicy
{
    /// <summary>The failure is recorded and the journey goes on to its next step. The default.</summary>
    Continue = 0,

    /// <summary>The failure is recorded and the journey exits.</summary>
    Exit = 1,
}
