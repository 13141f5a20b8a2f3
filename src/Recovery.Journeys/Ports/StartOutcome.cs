using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Ports;

/// <summary>The result of <see cref="IJourneyStore.TryStartAsync"/>.</summary>
public readonly record struct StartOutcome
{
    private StartOutcome(JourneyInstanceId? activeInstanceId) => ActiveInstanceId = activeInstanceId;

    /// <summary>The instance was created.</summary>
    public static StartOutcome Started { get; } = new(null);

    /// <summary>Whether the instance was created.</summary>
    public bool IsStarted => ActiveInstanceId is null;

    /// <summary>The active instance that prevented the start, if it was prevented.</summary>
    public JourneyInstanceId? ActiveInstanceId { get; }

    /// <summary>The start was prevented by an active instance for the same journey and key.</summary>
    /// <param name="activeInstanceId">That instance.</param>
    public static StartOutcome AlreadyActive(JourneyInstanceId activeInstanceId) => new(activeInstanceId);
}
