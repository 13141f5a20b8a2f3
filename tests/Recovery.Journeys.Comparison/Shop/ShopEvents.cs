namespace Recovery.Journeys.Comparison.Shop;

/// <summary>The shop's own event of scenario S1: a customer left the payment page without paying.</summary>
/// <param name="OrderId">The order, and the key every framework correlates by.</param>
/// <param name="Shopper">Who to remind.</param>
/// <param name="Items">The basket, shown in the e-mail.</param>
/// <param name="AbandonedAt">When the customer left; the reminders are due 5 min, 1 h and 24 h after it.</param>
/// <param name="SecondsOnPaymentPage">S1 starts only after more than 30 s on the payment page.</param>
public sealed record CheckoutAbandoned(string OrderId, Shopper Shopper, IReadOnlyList<BasketItem> Items, DateTimeOffset AbandonedAt, int SecondsOnPaymentPage);

/// <summary>The shop's own event: the order was paid.</summary>
public sealed record OrderPaid(string OrderId, decimal Amount);

/// <summary>A customer as the shop knows them.</summary>
public sealed record Shopper(string Id, string Name, string Email, string PushToken);

/// <summary>A line of the basket.</summary>
public sealed record BasketItem(string Name, string ImageUrl);
