using NodaTime;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Definition;

/// <summary>What a coupon step does to the instance's coupon.</summary>
internal enum CouponOperation
{
    Issue,
    Raise,
    Revoke,
}

/// <summary>Issues, raises or revokes the instance's personal coupon.</summary>
internal sealed class CouponStep<TEvent>(
    string id,
    StepTiming timing,
    string? nextStepId,
    CouponOperation operation,
    CouponSettings<TEvent>? settings,
    CouponDiscount? raise,
    CouponStacking stacking)
    : JourneyStep(id, StepKind.Coupon, [Channel], ChannelMode.Single, timing, nextStepId), ICouponStep
{
    /// <summary>The channel name of coupon steps on timelines.</summary>
    public new const string Channel = "coupon";

    public CouponOperation Operation => operation;

    /// <summary>The coupon to issue; <see langword="null"/> for a raise or a revocation.</summary>
    public CouponSettings<TEvent>? Settings => settings;

    /// <summary>The extra discount of a raise.</summary>
    public CouponDiscount? Raise => raise;

    public CouponStacking Stacking => stacking;
}

/// <summary>A coupon to issue, with its incentive-abuse guards.</summary>
internal sealed record CouponSettings<TEvent>(
    string Name,
    CouponDiscount Discount,
    Duration ValidFor,
    Func<TEvent, decimal>? Price,
    Duration? NotIfIssuedWithin,
    (int Times, Duration Within)? NotIfAbandonedMoreThan)
{
    public override string ToString() => $"{Name}, {Discount}, valid {DurationText.Format(ValidFor)}";
}
