using System.Globalization;

namespace Recovery.Journeys.Coupons;

/// <summary>A percentage off.</summary>
/// <param name="Value">The percentage, e.g. 20 for 20 %.</param>
public sealed record PercentDiscount(decimal Value) : CouponDiscount
{
    /// <inheritdoc />
    public override decimal ApplyTo(decimal price) => Math.Round(price * (100 - Value) / 100, 2, MidpointRounding.AwayFromZero);

    /// <inheritdoc />
    public override string ToString(CultureInfo culture) => (Value / 100).ToString("#,0.## %", culture);

    /// <summary>Describes the discount, e.g. <c>20 % off</c>.</summary>
    public override string ToString() => $"{Value.ToString(CultureInfo.InvariantCulture)} % off";

    internal override string Serialize() => $"percent:{Value.ToString(CultureInfo.InvariantCulture)}";
}
