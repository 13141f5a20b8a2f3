using System.Globalization;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Coupons;

/// <summary>An amount off.</summary>
/// <param name="Value">The amount.</param>
/// <param name="Currency">Its ISO 4217 currency.</param>
public sealed record AmountDiscount(decimal Value, string Currency) : CouponDiscount
{
    /// <inheritdoc />
    public override decimal ApplyTo(decimal price) => Math.Max(0, price - Value);

    /// <inheritdoc />
    public override string ToString(CultureInfo culture) => BuiltInHelpers.Money(Value, Currency, culture);

    /// <summary>Describes the discount, e.g. <c>5.00 EUR off</c>.</summary>
    public override string ToString() => $"{Value.ToString("0.00", CultureInfo.InvariantCulture)} {Currency} off";

    internal override string Serialize() => $"amount:{Value.ToString(CultureInfo.InvariantCulture)}:{Currency}";
}
