namespace Recovery.Journeys.Storage;

/// <summary>Where a journey instance stands.</summary>
public enum JourneyStatus
{
    /// <summary>Not ended: waiting for its next step, running it, or listening for a late goal event after its last step (see <see cref="InstanceState"/>).</summary>
    Active = 0,

    /// <summary>Ran every step without meeting its goal.</summary>
    Completed = 1,

    /// <summary>Met its goal (an exit rule that counts as a conversion, such as <c>OrderPaid</c>).</summary>
    Converted = 2,

    /// <summary>Stopped early: a non-conversion exit, a restart, a newer journey of the customer.</summary>
    Exited = 3,

    /// <summary>
    /// Stopped because it could not go on: a step failed in a journey that stops on failure
    /// (<c>OnStepFailure(StepFailurePolicy.Exit)</c>), or its journey version or step no longer exists.
    /// </summary>
    Failed = 4,
}
