using NodaTime;
using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Ports;

/// <summary>What a content provider is asked for.</summary>
/// <param name="Name">The content's name, as the journey declared it.</param>
/// <param name="Event">The journey's trigger event.</param>
/// <param name="Customer">The customer, if the journey names one.</param>
/// <param name="JourneyName">The journey.</param>
/// <param name="StepId">The step about to send.</param>
/// <param name="Now">The current instant.</param>
public sealed record ContentRequest(string Name, object Event, Customer? Customer, string JourneyName, string StepId, Instant Now);
