using Recovery.Journeys.Coupons;
using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// The coupon steps: issue the customer a personal coupon, raise its offer later, revoke it. A holdout customer is
/// issued none, and the incentive-abuse guards of <see cref="CouponBuilder{TEvent}"/> withhold it from customers who
/// would take advantage of it.
/// </summary>
public static class CouponSteps
{
    /// <summary>
    /// Issues the customer a personal coupon: a code from the host's <c>ICouponService</c> (or a random, unguessable
    /// one), with a discount and an expiry, visible to later templates as <c>{{coupon.code}}</c>, <c>{{coupon.discount}}</c>, ...
    /// </summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="configure">The coupon's name, discount, validity and incentive-abuse guards.</param>
    /// <param name="stepId">The step's stable id; the default is <c>coupon-1</c>, ...</param>
    public static TSelf IssueCoupon<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, Action<CouponBuilder<TEvent>> configure, string? stepId = null)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf>
    {
        ArgumentNullException.ThrowIfNull(steps);
        var scope = steps.Scope;
        scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(configure);
        var id = stepId ?? scope.DefaultStepId(CouponStep<TEvent>.Channel);
        var coupon = new CouponBuilder<TEvent>();
        configure(coupon);
        if (coupon.Missing() is { } missing)
        {
            throw scope.Fail(id, missing);
        }

        var settings = coupon.Build();
        scope.Blueprint.IssuesCoupons = true;
        scope.Blueprint.CouponDiscount ??= settings.Discount;
        return steps.AddLeaf(id, CouponStep<TEvent>.Channel, usesChannels: false, (stepIdentity, timing, next, _) =>
            new CouponStep<TEvent>(stepIdentity, timing, next, CouponOperation.Issue, settings, null, CouponStacking.Replace));
    }

    /// <summary>
    /// Raises the offer of the coupon issued earlier (S1's extra 10 %), by the given stacking rule, and tells the
    /// host's coupon service. Skipped when no coupon was issued (withheld by a guard).
    /// </summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="discount">The extra discount.</param>
    /// <param name="stacking">How it combines with the current one: added, compounded, or replacing it.</param>
    /// <param name="stepId">The step's stable id; the default is <c>coupon-1</c>, ...</param>
    public static TSelf RaiseCoupon<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, CouponDiscount discount, CouponStacking stacking, string? stepId = null)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf>
    {
        ArgumentNullException.ThrowIfNull(steps);
        var scope = steps.Scope;
        scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(discount);
        var id = stepId ?? scope.DefaultStepId(CouponStep<TEvent>.Channel);
        if (scope.Blueprint.CouponDiscount is not { } issued)
        {
            throw scope.Fail(id, "RaiseCoupon needs an IssueCoupon step before it");
        }

        try
        {
            issued.Stack(discount, stacking);
        }
        catch (InvalidOperationException e)
        {
            throw scope.Fail(id, $"the raise cannot apply to the coupon issued: {e.Message}");
        }

        return steps.AddLeaf(id, CouponStep<TEvent>.Channel, usesChannels: false, (stepIdentity, timing, next, _) =>
            new CouponStep<TEvent>(stepIdentity, timing, next, CouponOperation.Raise, null, discount, stacking));
    }

    /// <summary>Revokes the coupon issued earlier and tells the host's coupon service, so the code stops working. Skipped when there is none.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="stepId">The step's stable id; the default is <c>coupon-1</c>, ...</param>
    public static TSelf RevokeCoupon<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string? stepId = null)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf>
    {
        ArgumentNullException.ThrowIfNull(steps);
        var scope = steps.Scope;
        scope.EnsureNotBuilt();
        var id = stepId ?? scope.DefaultStepId(CouponStep<TEvent>.Channel);
        if (!scope.Blueprint.IssuesCoupons)
        {
            throw scope.Fail(id, "RevokeCoupon needs an IssueCoupon step before it");
        }

        return steps.AddLeaf(id, CouponStep<TEvent>.Channel, usesChannels: false, (stepIdentity, timing, next, _) =>
            new CouponStep<TEvent>(stepIdentity, timing, next, CouponOperation.Revoke, null, null, CouponStacking.Replace));
    }
}
