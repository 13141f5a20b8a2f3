using NodaTime;

namespace Recovery.Journeys.Ports;

/// <summary>
/// An exit event remembered for a journey and a correlation key (an order paid), whether or not an instance was
/// running: while it is remembered, a trigger for that key does not enter.
/// </summary>
/// <param name="JourneyName">The journey.</param>
/// <param name="CorrelationKey">The key the exit event selected.</param>
/// <param name="EventType">The exit event's type name (<c>OrderPaid</c>), for the refusal's reason.</param>
/// <param name="At">When the exit happened: the event's own instant when the exit rule reads it, else when it was published.</param>
/// <param name="ExpiresAt">When the store may forget it.</param>
/// <remarks>
/// The store keeps one per journey and key: a later exit replaces an earlier one's instant and extends its expiry. It
/// records the customer of the instance the exit ended, when there was one, so that erasing the customer erases it.
/// </remarks>
public sealed record RememberedExit(string JourneyName, string CorrelationKey, string EventType, Instant At, Instant ExpiresAt)
{
    /// <summary>The customer of the instance the exit ended, if any; set by the store.</summary>
    public string? CustomerId { get; init; }
}
