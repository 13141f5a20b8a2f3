using NodaTime;

namespace Recovery.Journeys.Coupons;

/// <summary>A personal coupon a journey issued.</summary>
/// <param name="Name">The offer's name.</param>
/// <param name="Code">The personal code.</param>
/// <param name="Discount">The current discount.</param>
/// <param name="ExpiresAt">When the code stops working.</param>
/// <param name="CustomerId">The customer it belongs to.</param>
public sealed record Coupon(string Name, string Code, CouponDiscount Discount, Instant ExpiresAt, string CustomerId)
{
    /// <summary>Whether the coupon was revoked.</summary>
    public bool IsRevoked { get; init; }
}
