using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Ports;

/// <summary>Thrown by <see cref="IJourneyClaim.CommitAsync"/> when the claim was lost to another worker.</summary>
public sealed class JourneyClaimLostException : Exception
{
    /// <summary>Creates the exception for an instance.</summary>
    /// <param name="instanceId">The instance whose claim was lost.</param>
    public JourneyClaimLostException(JourneyInstanceId instanceId)
        : base($"The claim on journey instance {instanceId} was lost (its lease expired and another worker took it); the step's result was not recorded.")
    {
        InstanceId = instanceId;
    }

    /// <summary>The instance whose claim was lost.</summary>
    public JourneyInstanceId InstanceId { get; }
}
