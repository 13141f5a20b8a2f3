namespace Recovery.Journeys.Storage;

/// <summary>A new state of an instance and the timeline entries that explain it, persisted atomically.</summary>
/// <param name="Instance">The instance's new state.</param>
/// <param name="Records">The entries to append to its timeline.</param>
public sealed record JourneyTransition(JourneyInstance Instance, IReadOnlyList<JourneyRecord> Records);
