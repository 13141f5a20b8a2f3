using Recovery.Journeys.Customers;

namespace AotHost;

/// <summary>The shop's event: a customer left the payment page of an order.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Customer">Who to remind.</param>
public sealed record CheckoutAbandoned(string OrderId, Customer Customer);
