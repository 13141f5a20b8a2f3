using NodaTime;
using Recovery.Journeys.Customers;

namespace CheckoutRecovery.Shop;

/// <summary>A product left in an abandoned order, at its price before the promotion.</summary>
/// <param name="Name">The product's name.</param>
/// <param name="Price">The price before the promotion, in euros.</param>
/// <param name="ImageUrl">The product's picture, shown in the e-mail.</param>
public sealed record CartItem(string Name, decimal Price, string ImageUrl);

/// <summary>
/// The shop's event: a customer reached the payment page and left without paying. The journey starts only when
/// they stayed there more than 30 seconds.
/// </summary>
/// <param name="OrderId">The order number, the journey's correlation key.</param>
/// <param name="Customer">Who to remind, and how to reach them.</param>
/// <param name="Items">The products of the order.</param>
/// <param name="DiscountPercent">The promotion's discount on the order (60 for "60 % de remise").</param>
/// <param name="PromotionEndsAt">When the limited-time promotion ends; the e-mail counts down to it.</param>
/// <param name="SecondsOnPaymentPage">How long the customer stayed on the payment page before leaving.</param>
public sealed record CheckoutAbandoned(
    string OrderId,
    Customer Customer,
    IReadOnlyList<CartItem> Items,
    int DiscountPercent,
    Instant PromotionEndsAt,
    int SecondsOnPaymentPage)
{
    /// <summary>The order's price before the promotion.</summary>
    public decimal Subtotal => Items.Sum(i => i.Price);

    /// <summary>What the promotion takes off, rounded to the cent.</summary>
    public decimal Discount => Math.Round(Subtotal * DiscountPercent / 100m, 2, MidpointRounding.AwayFromZero);

    /// <summary>What the customer pays with the promotion.</summary>
    public decimal Total => Subtotal - Discount;
}

/// <summary>The shop's event: an order was paid. It ends the order's journey and counts as its conversion.</summary>
/// <param name="OrderId">The order number.</param>
/// <param name="Amount">The amount paid, the conversion's value.</param>
public sealed record OrderPaid(string OrderId, decimal Amount);
