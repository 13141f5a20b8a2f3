using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Ports;

/// <summary>An active instance to end as part of a start (an older instance of the customer, a journey of lower priority).</summary>
/// <param name="JourneyName">The instance's journey.</param>
/// <param name="CorrelationKey">The instance's key.</param>
/// <param name="End">Given the instance's current state, the transition that ends it, or <see langword="null"/> to leave it (it changed meanwhile).</param>
public sealed record InstanceEnd(string JourneyName, string CorrelationKey, Func<JourneyInstance, JourneyTransition?> End);
