using System.Globalization;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Coupons;

/// <summary>A coupon's discount: a percentage off, or an amount off in a currency. Immutable.</summary>
public abstract record CouponDiscount
{
    private protected CouponDiscount()
    {
    }

    /// <summary>A percentage off: <c>CouponDiscount.Percent(20)</c> is 20 % off.</summary>
    /// <param name="percent">Between 0 (excluded) and 100 (included).</param>
    public static CouponDiscount Percent(decimal percent) =>
        percent is > 0 and <= 100 ? new PercentDiscount(percent) : throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentage off must be above 0 and at most 100.");

    /// <summary>An amount off in a currency: <c>CouponDiscount.Amount(5, "EUR")</c>.</summary>
    /// <param name="amount">Positive.</param>
    /// <param name="currency">An ISO 4217 code.</param>
    public static CouponDiscount Amount(decimal amount, string currency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        return new AmountDiscount(amount, currency.ToUpperInvariant());
    }

    /// <summary>The price after the discount, never below zero, rounded to cents.</summary>
    /// <param name="price">The price before.</param>
    public abstract decimal ApplyTo(decimal price);

    /// <summary>Writes the discount for a customer: <c>20 %</c>, <c>5,00 €</c>.</summary>
    /// <param name="culture">The customer's culture.</param>
    public abstract string ToString(CultureInfo culture);

    internal abstract string Serialize();

    internal static CouponDiscount Parse(string text)
    {
        var parts = text.Split(':');
        return parts[0] == "percent"
            ? new PercentDiscount(decimal.Parse(parts[1], CultureInfo.InvariantCulture))
            : new AmountDiscount(decimal.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]);
    }

    /// <summary>Combines this discount with a further one by a stacking rule.</summary>
    internal CouponDiscount Stack(CouponDiscount further, CouponStacking stacking) => (stacking, this, further) switch
    {
        (CouponStacking.Replace, _, _) => further,
        (CouponStacking.Add, PercentDiscount a, PercentDiscount b) => new PercentDiscount(Math.Min(100, a.Value + b.Value)),
        (CouponStacking.Add, AmountDiscount a, AmountDiscount b) when a.Currency == b.Currency => new AmountDiscount(a.Value + b.Value, a.Currency),
        (CouponStacking.Compound, PercentDiscount a, PercentDiscount b) => new PercentDiscount(100 - ((100 - a.Value) * (100 - b.Value) / 100)),
        _ => throw new InvalidOperationException($"{this} and {further} cannot be stacked by {stacking}."),
    };
}

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
