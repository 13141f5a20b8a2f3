using System.Collections.Immutable;
using NodaTime.Text;

namespace Recovery.Journeys.Coupons;

/// <summary>How an instance keeps its coupon among its variables, so every store keeps it without a schema of its own.</summary>
internal static class CouponState
{
    public const string Code = "coupon.code";
    public const string Name = "coupon.name";
    public const string Discount = "coupon.discount";
    public const string ExpiresAt = "coupon.expiresAt";
    public const string Revoked = "coupon.revoked";
    public const string Withheld = "coupon.withheld";

    public static Coupon? Read(IReadOnlyDictionary<string, string> variables, string? customerId) =>
        variables.TryGetValue(Code, out var code)
            ? new Coupon(variables[Name], code, CouponDiscount.Parse(variables[Discount]), InstantPattern.ExtendedIso.Parse(variables[ExpiresAt]).Value, customerId ?? string.Empty)
            {
                IsRevoked = variables.ContainsKey(Revoked),
            }
            : null;

    public static IReadOnlyDictionary<string, string?> Write(Coupon coupon) => new Dictionary<string, string?>
    {
        [Code] = coupon.Code,
        [Name] = coupon.Name,
        [Discount] = coupon.Discount.Serialize(),
        [ExpiresAt] = InstantPattern.ExtendedIso.Format(coupon.ExpiresAt),
        [Revoked] = coupon.IsRevoked ? "true" : null,
        [Withheld] = null,
    };

    public static string? WithheldReason(ImmutableDictionary<string, string> variables) => variables.GetValueOrDefault(Withheld);
}
