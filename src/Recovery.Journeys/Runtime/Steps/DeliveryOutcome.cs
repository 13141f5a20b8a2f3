using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>One entry a step run writes to the timeline: a channel's outcome, a deferral, a branch taken.</summary>
internal readonly record struct DeliveryOutcome(JourneyRecordKind Kind, string Channel, string? Detail);
