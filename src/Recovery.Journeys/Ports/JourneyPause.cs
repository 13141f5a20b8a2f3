using NodaTime;

namespace Recovery.Journeys.Ports;

/// <summary>A journey paused by an operator: its due steps are held until it resumes.</summary>
/// <param name="JourneyName">The journey (every version).</param>
/// <param name="PausedAt">When it was paused.</param>
/// <param name="AdmitsNewInstances">Whether triggers still start instances while it is paused (their steps are held too).</param>
public sealed record JourneyPause(string JourneyName, Instant PausedAt, bool AdmitsNewInstances);
