using NodaTime;

namespace Recovery.Journeys.Templating;

/// <summary>The instance's coupon as a template sees it (<c>{{coupon.code}}</c>); absent when none was issued, so <c>{{#if coupon}}</c> picks the no-discount text.</summary>
public sealed class TemplateCoupon
{
    /// <summary>The offer's name (<c>RELANCE-20</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The personal code.</summary>
    public required string Code { get; init; }

    /// <summary>The discount written for the customer: <c>20 %</c>, <c>5,00 €</c>.</summary>
    public required string Discount { get; init; }

    /// <summary>When the code stops working; write it with <c>{{dateTime coupon.expiresAt}}</c> or <c>{{timeLeft coupon.expiresAt}}</c>.</summary>
    public required Instant ExpiresAt { get; init; }

    /// <summary>The price before the discount, when the coupon step selects one (<c>ForPrice</c>); write it with <c>{{money coupon.priceBefore}}</c>.</summary>
    public decimal? PriceBefore { get; init; }

    /// <summary>The price after the discount, when the coupon step selects a price.</summary>
    public decimal? PriceAfter { get; init; }

    /// <summary>Whether the coupon was revoked.</summary>
    public bool IsRevoked { get; init; }
}
