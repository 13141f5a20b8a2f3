namespace Recovery.Journeys.Storage;

/// <summary>Where a journey instance stands.</summary>
public enum JourneyStatus
{
    /// <summary>Waiting for its next step or running it.</summary>
    Active = 0,

    /// <summary>Ran every step without meeting its goal.</summary>
    Completed = 1,

    /// <summary>Met its goal (an exit rule that counts as a conversion, such as <c>OrderPaid</c>).</summary>
    Converted = 2,

    /// <summary>Stopped early: a non-conversion exit, a restart, or a failure the journey stops on.</summary>
    Exited = 3,
}
