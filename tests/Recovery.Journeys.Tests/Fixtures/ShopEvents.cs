using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Tests.Fixtures;

public sealed record CartItem(string Name, decimal Price, string ImageUrl);

public sealed record CheckoutAbandoned(
    string OrderId,
    Customer Customer,
    decimal Total,
    int SecondsOnPaymentPage,
    IReadOnlyList<CartItem> Items);

public sealed record OrderPaid(string OrderId, decimal Amount);

public sealed record OrderCancelled(string OrderId);

public sealed record NewsletterSignedUp(string Email);

public static class Shop
{
    public static Customer Alice { get; } = new("cust-alice") { Name = "Alice", Email = "alice@example.com", Phone = "+33612345678", PushToken = "push-token-alice", Culture = "fr-FR", TimeZone = "Europe/Paris" };

    public static CheckoutAbandoned Abandoned(string orderId = "order-1", int seconds = 45, Customer? customer = null, decimal total = 49.90m) =>
        new(orderId, customer ?? Alice, total, seconds, [new CartItem("Sneakers", 49.90m, "https://cdn.example.com/sneakers.jpg")]);
}

public enum CheckoutStage
{
    Cart,
    Shipping,
    Payment,
}

public sealed record CartAbandoned(string CartId, Customer Customer, CheckoutStage Stage, decimal Total);

public sealed record CartUpdated(string CartId);

public sealed record PaymentRetried(string CartId);

public sealed record OrderUnpaid(string OrderId, Customer Customer, string Offer, decimal Price);
