namespace Recovery.Journeys.Definition;

/// <summary>A coupon step whatever its event type: what it does to the instance's coupon (for reports).</summary>
internal interface ICouponStep
{
    /// <summary>Issue, raise or revoke.</summary>
    CouponOperation Operation { get; }
}
