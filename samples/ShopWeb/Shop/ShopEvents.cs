using Recovery.Journeys.Customers;

namespace ShopWeb.Shop;

/// <summary>A line of a basket.</summary>
public sealed record CartItem(string Name, decimal Price);

/// <summary>The shop's checkout page saw a customer leave without paying.</summary>
public sealed record CheckoutAbandoned(string OrderId, Customer Customer, IReadOnlyList<CartItem> Items)
{
    /// <summary>What the basket is worth.</summary>
    public decimal Total => Items.Sum(i => i.Price);
}

/// <summary>An order was paid: it ends its reminders, as a conversion worth the amount.</summary>
public sealed record OrderPaid(string OrderId, decimal Amount);

/// <summary>The payment provider declined a card.</summary>
public sealed record PaymentFailed(string OrderId, Customer Customer, decimal Amount);
