namespace Recovery.Journeys.Coupons;

/// <summary>How a raised offer combines with the coupon's current discount.</summary>
public enum CouponStacking
{
    /// <summary>The new discount replaces the current one.</summary>
    Replace = 0,

    /// <summary>The discounts add up: 20 % and 10 % make 30 %; 5 € and 5 € make 10 € (same currency only).</summary>
    Add = 1,

    /// <summary>The new percentage applies to the already discounted price: 20 % then 10 % make 28 % (percentages only).</summary>
    Compound = 2,
}
