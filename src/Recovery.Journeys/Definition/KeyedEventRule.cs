namespace Recovery.Journeys.Definition;

/// <summary>An event type a journey routes by correlation key to its active instance (a wait's event, a debounce), with the step it concerns.</summary>
/// <param name="EventType">The event type.</param>
/// <param name="Correlate">Selects the correlation key from such an event.</param>
/// <param name="StepId">The wait step the event resumes; <see langword="null"/> for a debounce.</param>
internal sealed record KeyedEventRule(Type EventType, Func<object, string?> Correlate, string? StepId);
