using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Ports;

/// <summary>What <see cref="IJourneyStore.ClearPauseAsync"/> ended: the pause, and the instances whose steps it held.</summary>
/// <param name="Pause">The pause that ended.</param>
/// <param name="HeldInstances">The active instances whose step fell due while the journey was paused; they are due now.</param>
public sealed record PauseEnd(JourneyPause Pause, IReadOnlyList<JourneyInstanceId> HeldInstances);
