namespace Recovery.Journeys.Runtime;

/// <summary>A trigger that did not start its journey because of one of the journey's rules.</summary>
/// <param name="JourneyName">The journey.</param>
/// <param name="CorrelationKey">The trigger's key.</param>
/// <param name="Reason">Which rule, in words.</param>
public sealed record SuppressedStart(string JourneyName, string CorrelationKey, string Reason);
