using Recovery.Journeys.Customers;

// The host's own event types that the snippets of README.md and docs/ use.
namespace CheckoutRecovery.Tests.Documentation;

// begin-snippet: getting-started-events
public sealed record CartItem(string Name, decimal Price, string ImageUrl);

public sealed record CheckoutAbandoned(
    string OrderId,
    Customer Customer,
    IReadOnlyList<CartItem> Items,
    decimal Total,
    int SecondsOnPaymentPage);

public sealed record OrderPaid(string OrderId, decimal Amount);

public sealed record OrderCancelled(string OrderId);
// end-snippet

public sealed record OrderUnpaid(string OrderId, Customer Customer, string Offer, decimal Price);

public enum CheckoutStage
{
    Cart,
    Shipping,
    Payment,
}

public sealed record CartAbandoned(string CartId, Customer Customer, CheckoutStage Stage, decimal Total);

public sealed record CartUpdated(string CartId);

public sealed record PaymentRetried(string CartId);
