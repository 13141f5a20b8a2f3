using Recovery.Journeys.Storage;

namespace CheckoutRecovery.Simulation;

/// <summary>One journey instance's story: the instance as the store has it at the end, its timeline, and what the channels got.</summary>
/// <param name="Instance">The instance.</param>
/// <param name="Timeline">Its timeline, from the store.</param>
/// <param name="Messages">The messages the channels received for it, in send order.</param>
public sealed record InstanceStory(
    JourneyInstance Instance,
    IReadOnlyList<JourneyRecord> Timeline,
    IReadOnlyList<ReceivedMessage> Messages);
