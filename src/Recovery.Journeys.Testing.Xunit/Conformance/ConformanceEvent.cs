using NodaTime;
using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Testing.Xunit.Conformance;

/// <summary>
/// The trigger event of the conformance facts: NodaTime values, decimals, nested lists and text beyond ASCII, the
/// things a store must give back exactly.
/// </summary>
/// <param name="OrderId">The order, also the correlation key.</param>
/// <param name="Customer">Who abandoned it.</param>
/// <param name="AbandonedAt">When.</param>
/// <param name="Total">The amount.</param>
/// <param name="Items">What was in the cart.</param>
internal sealed record ConformanceEvent(string OrderId, Customer Customer, Instant AbandonedAt, decimal Total, IReadOnlyList<ConformanceItem> Items)
{
    /// <summary>The customer's local delivery date.</summary>
    public LocalDate? DeliveryDate { get; init; }

    /// <summary>When the shop's offer ends, in the customer's zone.</summary>
    public ZonedDateTime? OfferEndsAt { get; init; }

    /// <summary>How long the customer stayed on the payment page.</summary>
    public Duration? TimeOnPaymentPage { get; init; }

    /// <summary>A note that is absent.</summary>
    public string? Note { get; init; }

    /// <summary>Returns a full sample event for an order.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="abandonedAt">When it was abandoned.</param>
    public static ConformanceEvent Sample(string orderId, Instant abandonedAt) =>
        new(
            orderId,
            new Customer("customer-1") { Name = "Zoë Ångström", Email = "zoe@example.com", Phone = "+33612345678", PushToken = "push-token-1", Culture = "fr-FR", TimeZone = "Europe/Paris" },
            abandonedAt,
            1234.5678m,
            [new ConformanceItem("Baskets « Été » 👟", 49.90m, 2), new ConformanceItem("Chaussettes", 0.01m, 1)])
        {
            DeliveryDate = new LocalDate(2026, 3, 29),
            OfferEndsAt = abandonedAt.Plus(Duration.FromHours(24)).InZone(DateTimeZoneProviders.Tzdb["Europe/Paris"]),
            TimeOnPaymentPage = Duration.FromSeconds(45) + Duration.FromTicks(1),
        };
}

/// <summary>A cart line of <see cref="ConformanceEvent"/>.</summary>
/// <param name="Name">The product.</param>
/// <param name="Price">Its unit price.</param>
/// <param name="Quantity">How many.</param>
internal sealed record ConformanceItem(string Name, decimal Price, int Quantity);
