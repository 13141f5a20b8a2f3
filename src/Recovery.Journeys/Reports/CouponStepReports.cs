using Recovery.Journeys.Definition;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Reports;

/// <summary>The coupon steps' part of a <see cref="JourneyReport"/>: what each issued, raised, revoked and withheld.</summary>
internal static class CouponStepReports
{
    /// <summary>The kinds of timeline entry a coupon step writes besides skips and failures.</summary>
    public static readonly JourneyRecordKind[] Kinds =
        [JourneyRecordKind.CouponIssued, JourneyRecordKind.CouponRaised, JourneyRecordKind.CouponRevoked, JourneyRecordKind.CouponWithheld];

    /// <summary>Whether an entry is a coupon step's: a coupon kind, or a skip or failure on the <c>coupon</c> channel.</summary>
    public static bool IsCouponRecord(JourneyRecord record) =>
        record.StepId is not null
        && (Array.IndexOf(Kinds, record.Kind) >= 0
            || (record.Kind is JourneyRecordKind.Skipped or JourneyRecordKind.Failed && record.Channel == CouponStep<object>.Channel));

    /// <summary>
    /// One report per coupon step of the latest version, in the journey's order, then any step of an older version
    /// that has entries; <paramref name="records"/> are the coupon entries of the instances in the report.
    /// </summary>
    public static List<CouponStepReport> Of(JourneyDefinition journey, IReadOnlyList<JourneyRecord> records, IReadOnlyDictionary<string, (string? Experiment, string? Variant)> arms)
    {
        var steps = journey.Steps.Concat(journey.ExitSteps).Where(s => s.Kind == StepKind.Coupon).Select(s => (s.Id, Action: ActionOf(s))).ToList();
        foreach (var older in records.Select(r => r.StepId!).Distinct(StringComparer.Ordinal).Where(id => !steps.Exists(s => s.Id == id) && journey.FindStep(id) is null))
        {
            var mine = records.Where(r => r.StepId == older).ToList();
            steps.Add((older, mine.Exists(r => r.Kind == JourneyRecordKind.CouponRevoked) ? "revoke" : mine.Exists(r => r.Kind == JourneyRecordKind.CouponRaised) ? "raise" : "issue"));
        }

        return steps.Select(step =>
        {
            var mine = records.Where(r => r.StepId == step.Id).ToList();
            var arm = arms.GetValueOrDefault(step.Id);
            return new CouponStepReport(
                step.Id,
                step.Action,
                mine.Count(r => r.Kind == JourneyRecordKind.CouponIssued),
                mine.Count(r => r.Kind == JourneyRecordKind.CouponRaised),
                mine.Count(r => r.Kind == JourneyRecordKind.CouponRevoked),
                mine.Count(r => r.Kind == JourneyRecordKind.CouponWithheld && r.Detail != Holdout.SkipReason),
                mine.Count(r => r.Kind == JourneyRecordKind.CouponWithheld && r.Detail == Holdout.SkipReason),
                mine.Count(r => r.Kind == JourneyRecordKind.Skipped),
                mine.Count(r => r.Kind == JourneyRecordKind.Failed))
            {
                Experiment = arm.Experiment,
                Variant = arm.Variant,
            };
        }).ToList();
    }

    private static string ActionOf(JourneyStep step) => step switch
    {
        ICouponStep { Operation: CouponOperation.Raise } => "raise",
        ICouponStep { Operation: CouponOperation.Revoke } => "revoke",
        _ => "issue",
    };
}
