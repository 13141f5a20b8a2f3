using Recovery.Journeys.Customers;

// The host's own event types that the snippets of README.md and docs/ use.
namespace CheckoutRecovery.Tests.Documentation;

public sealed record CartItem(string Name, decimal Price, string ImageUrl);

public sealed record CheckoutAbandoned(
    string OrderId,
    Customer Customer,
    IReadOnlyList<CartItem> Items,
    decimal Total,
    int SecondsOnPaymentPage);

public sealed record OrderPaid(string OrderId, decimal Amount);

public sealed record OrderCancelled(string OrderId);
