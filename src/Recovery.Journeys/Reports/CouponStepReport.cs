namespace Recovery.Journeys.Reports;

/// <summary>One coupon step's figures (<c>IssueCoupon</c>, <c>RaiseCoupon</c>, <c>RevokeCoupon</c>), in the journey's order.</summary>
/// <param name="StepId">The step.</param>
/// <param name="Action">What the step does: <c>issue</c>, <c>raise</c> or <c>revoke</c>.</param>
/// <param name="Issued">Coupons the step issued.</param>
/// <param name="Raised">Coupons whose offer the step raised.</param>
/// <param name="Revoked">Coupons the step revoked.</param>
/// <param name="Withheld">Coupons not issued by an incentive-abuse guard (a coupon issued recently, too many abandonments), holdout left out.</param>
/// <param name="HeldOut">Coupons not issued because the instance is in the holdout.</param>
/// <param name="Skipped">Runs that had nothing to do: no customer, a coupon already issued, no coupon to raise or revoke.</param>
/// <param name="Failed">Runs that failed for good at the host's coupon service.</param>
public sealed record CouponStepReport(string StepId, string Action, int Issued, int Raised, int Revoked, int Withheld, int HeldOut, int Skipped, int Failed)
{
    /// <summary>The experiment whose variant path the step is on, or <see langword="null"/> for a step every customer passes.</summary>
    public string? Experiment { get; init; }

    /// <summary>The variant of <see cref="Experiment"/> the step belongs to, or <see langword="null"/>.</summary>
    public string? Variant { get; init; }
}
