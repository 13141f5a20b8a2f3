namespace Recovery.Journeys.Ports;

/// <summary>Criteria for <see cref="IJourneyStore.FindAsync"/>; a <see langword="null"/> criterion matches everything.</summary>
/// <param name="JourneyName">Only instances of this journey.</param>
/// <param name="CorrelationKey">Only instances with this key.</param>
/// <param name="CustomerId">Only instances for this customer.</param>
public sealed record JourneyInstanceQuery(string? JourneyName = null, string? CorrelationKey = null, string? CustomerId = null);
