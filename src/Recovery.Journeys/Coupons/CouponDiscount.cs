using System.Globalization;

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
