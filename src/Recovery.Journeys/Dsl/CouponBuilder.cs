using NodaTime;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// Describes a coupon to issue: <c>c =&gt; c.Named("RELANCE-20").PercentOff(20).ValidFor(24.Hours()).ForPrice(e =&gt; e.Total)</c>,
/// with incentive-abuse guards that withhold it.
/// </summary>
/// <typeparam name="TEvent">The journey's trigger event type.</typeparam>
public sealed class CouponBuilder<TEvent>
    where TEvent : class
{
    private string? _name;
    private CouponDiscount? _discount;
    private Duration? _validFor;
    private Func<TEvent, decimal>? _price;
    private Duration? _notIfIssuedWithin;
    private (int Times, Duration Within)? _notIfAbandonedMoreThan;

    internal CouponBuilder()
    {
    }

    /// <summary>Names the offer (<c>RELANCE-20</c>): shown in templates as <c>{{coupon.name}}</c>, and the prefix of generated codes. Required.</summary>
    /// <param name="name">Letters, digits and '-'.</param>
    public CouponBuilder<TEvent> Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        return this;
    }

    /// <summary>Sets a percentage off. A discount is required.</summary>
    /// <param name="percent">Above 0, at most 100.</param>
    public CouponBuilder<TEvent> PercentOff(decimal percent)
    {
        _discount = CouponDiscount.Percent(percent);
        return this;
    }

    /// <summary>Sets an amount off. A discount is required.</summary>
    /// <param name="amount">Positive.</param>
    /// <param name="currency">An ISO 4217 code.</param>
    public CouponBuilder<TEvent> AmountOff(decimal amount, string currency)
    {
        _discount = CouponDiscount.Amount(amount, currency);
        return this;
    }

    /// <summary>Sets how long the code works after it is issued (<c>{{coupon.expiresAt}}</c>). Required.</summary>
    /// <param name="validity">Positive.</param>
    public CouponBuilder<TEvent> ValidFor(Duration validity)
    {
        _validFor = validity > Duration.Zero && validity <= StepTiming.MaxDelay ? validity : throw new ArgumentOutOfRangeException(nameof(validity), "A coupon's validity must be positive and at most 365 days.");
        return this;
    }

    /// <summary>Sets how long the code works after it is issued (<c>{{coupon.expiresAt}}</c>). Required.</summary>
    /// <param name="validity">Positive, at most 365 days.</param>
    public CouponBuilder<TEvent> ValidFor(TimeSpan validity) => ValidFor(Duration.FromTimeSpan(validity));

    /// <summary>Selects the price the discount applies to, for <c>{{coupon.priceBefore}}</c> and <c>{{coupon.priceAfter}}</c>. Optional.</summary>
    /// <param name="price">Selects the price from the trigger event.</param>
    public CouponBuilder<TEvent> ForPrice(Func<TEvent, decimal> price)
    {
        _price = price ?? throw new ArgumentNullException(nameof(price));
        return this;
    }

    /// <summary>Withholds the coupon from a customer who was issued one (by any journey) within <paramref name="period"/>.</summary>
    /// <param name="period">Positive.</param>
    public CouponBuilder<TEvent> NotIfIssuedWithin(Duration period)
    {
        _notIfIssuedWithin = period > Duration.Zero && period <= StepTiming.MaxDelay ? period : throw new ArgumentOutOfRangeException(nameof(period), "The period must be positive and at most 365 days.");
        return this;
    }

    /// <summary>Withholds the coupon from a customer who was issued one (by any journey) within <paramref name="period"/>.</summary>
    /// <param name="period">Positive, at most 365 days.</param>
    public CouponBuilder<TEvent> NotIfIssuedWithin(TimeSpan period) => NotIfIssuedWithin(Duration.FromTimeSpan(period));

    /// <summary>
    /// Withholds the coupon from a customer who entered this journey more than <paramref name="times"/> times within
    /// <paramref name="within"/> (this time included): someone who abandons on purpose to get a discount.
    /// </summary>
    /// <param name="times">How many entries are still fine; positive.</param>
    /// <param name="within">The period counted; positive.</param>
    public CouponBuilder<TEvent> NotIfAbandonedMoreThan(int times, Duration within)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        _notIfAbandonedMoreThan = within > Duration.Zero && within <= StepTiming.MaxDelay ? (times, within) : throw new ArgumentOutOfRangeException(nameof(within), "The period must be positive and at most 365 days.");
        return this;
    }

    /// <summary>Withholds the coupon from a customer who entered this journey more than <paramref name="times"/> times within <paramref name="within"/>.</summary>
    /// <param name="times">How many entries are still fine; positive.</param>
    /// <param name="within">The period counted; positive, at most 365 days.</param>
    public CouponBuilder<TEvent> NotIfAbandonedMoreThan(int times, TimeSpan within) => NotIfAbandonedMoreThan(times, Duration.FromTimeSpan(within));

    internal string? Missing() =>
        _name is null ? "a coupon needs a name: call Named(...)"
        : _discount is null ? "a coupon needs a discount: call PercentOff(...) or AmountOff(...)"
        : _validFor is null ? "a coupon needs a validity: call ValidFor(...)"
        : null;

    internal CouponSettings<TEvent> Build() => new(_name!, _discount!, _validFor!.Value, _price, _notIfIssuedWithin, _notIfAbandonedMoreThan);
}
