using CheckoutRecovery.Simulation;
using NodaTime;
using NodaTime.Text;
using Recovery.Journeys.Reports;
using Recovery.Journeys.Storage;

namespace CheckoutRecovery.Scenarios;

/// <summary>
/// Prints a scenario's run: its rules, the featured customers' timelines with the messages they got, and the journey's
/// report, every figure in the shop's culture and currency. Columns are separated by at least two spaces.
/// </summary>
public static class ScenarioPrinter
{
    private static readonly InstantPattern Time = InstantPattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss'Z'");

    /// <summary>Writes everything but the pictures.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="scenario">The scenario's title and rules.</param>
    /// <param name="result">Its run.</param>
    public static void Write(TextWriter output, IScenario scenario, ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(result);
        var shop = result.Shop;
        output.WriteLine($"== {scenario.Id.ToUpperInvariant()}: {scenario.Title} ==");
        output.WriteLine($"Shop: {shop.Name} ({shop.Culture}, {shop.Currency}, {shop.TimeZone}); journey '{result.Journey.Name}'.");
        output.WriteLine("Rules:");
        foreach (var rule in scenario.Rules)
        {
            output.WriteLine($"  - {rule}");
        }

        foreach (var customer in result.Featured)
        {
            output.WriteLine();
            output.WriteLine($"== {customer.Title} ==");
            foreach (var story in customer.Story)
            {
                output.WriteLine(
                    $"Instance for '{story.Instance.CorrelationKey}', started {Time.Format(story.Instance.StartedAt)}, " +
                    $"status {story.Instance.Status}; times after its start:");
                TimelineWriter.Write(output, story, shop.Format);
            }
        }

        if (result.Notes.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("== The shop's side at the end ==");
            foreach (var note in result.Notes)
            {
                output.WriteLine($"  {note}");
            }
        }

        output.WriteLine();
        WriteReport(output, result.Report, shop.Format);
    }

    /// <summary>Writes the report: totals, steps (A/B arms named), skip reasons, channels, experiments, holdout, days.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="report">The report.</param>
    /// <param name="format">The shop's culture and currency.</param>
    public static void WriteReport(TextWriter output, JourneyReport report, ReportFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(format);
        var period = report.Days.Count == 0 ? "no entries"
            : $"entries from {report.Days[0].Date:uuuu-MM-dd} to {report.Days[^1].Date:uuuu-MM-dd} ({report.TimeZone})";
        output.WriteLine($"== Report of '{report.JourneyName}', {period} ==");
        Row(output, 24, "entered", format.Count(report.Entered));
        Row(output, 24, "refused at entry", format.Count(report.Refused));
        Row(output, 24, "paid", format.Count(report.Converted), format.Percent(report.ConversionRate));
        Row(output, 24, "revenue", format.Money(report.Revenue));
        Row(output, 24, "recovered revenue", format.Money(report.RecoveredRevenue), "attributed to a message");
        Row(output, 24, "completed unpaid", format.Count(report.Completed));
        Row(output, 24, "exited", format.Count(report.Exited));
        Row(output, 24, "still active", format.Count(report.Active));

        output.WriteLine();
        output.WriteLine("Steps:");
        Row(output, 26, "step", "A/B arm", "sent", "skipped", "held out", "failed", "paid after", "revenue");
        foreach (var step in report.Steps)
        {
            Row(
                output,
                26,
                step.StepId,
                step.Variant ?? "-",
                format.Count(step.Sent),
                format.Count(step.Skipped),
                format.Count(step.HeldOut),
                format.Count(step.Failed),
                format.Count(step.Converted),
                format.Money(step.Revenue));
            foreach (var reason in step.SkippedBy)
            {
                output.WriteLine($"      skipped, {reason.Reason}: {format.Count(reason.Count)}");
            }
        }

        if (report.CouponSteps.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Coupon steps:");
            Row(output, 26, "step", "action", "issued", "raised", "revoked", "withheld", "held out");
            foreach (var coupon in report.CouponSteps)
            {
                Row(output, 26, coupon.StepId, coupon.Action, format.Count(coupon.Issued), format.Count(coupon.Raised), format.Count(coupon.Revoked), format.Count(coupon.Withheld), format.Count(coupon.HeldOut));
            }
        }

        output.WriteLine();
        output.WriteLine("Channels:");
        Row(output, 26, "channel", "sent", "skipped", "held out", "failed");
        foreach (var channel in report.Channels)
        {
            Row(output, 26, channel.Channel, format.Count(channel.Sent), format.Count(channel.Skipped), format.Count(channel.HeldOut), format.Count(channel.Failed));
        }

        foreach (var experiment in report.Experiments)
        {
            output.WriteLine();
            output.WriteLine($"A/B test '{experiment.Name}' (holdout left out):");
            Row(output, 26, "variant", "weight", "customers", "paid", "rate", "revenue");
            foreach (var variant in experiment.Variants)
            {
                Row(output, 26, variant.Name, $"{variant.Weight} %", format.Count(variant.Assigned), format.Count(variant.Converted), format.Percent(variant.ConversionRate), format.Money(variant.Revenue));
            }

            if (experiment.Variants is [var first, var second] && second.VersusOthers is { } uplift)
            {
                output.WriteLine($"  {second.Name} vs {first.Name}: {Verdict(uplift, format)}");
            }
        }

        if (report.Holdout is { } holdout)
        {
            output.WriteLine();
            output.WriteLine($"Journey against its {holdout.Percent} % holdout:");
            Row(output, 26, "group", "customers", "paid", "rate", "revenue");
            foreach (var group in new[] { holdout.Journey, holdout.Holdout })
            {
                Row(output, 26, group.Name, format.Count(group.Entered), format.Count(group.Converted), format.Percent(group.ConversionRate), format.Money(group.Revenue));
            }

            if (holdout.Uplift is { } uplift)
            {
                output.WriteLine($"  journey vs holdout: {Verdict(uplift, format)}");
            }

            if (holdout.IncrementalRevenue is { } incremental)
            {
                output.WriteLine(
                    $"  incremental revenue: {format.Money(incremental.Estimate)} ({incremental.ConfidenceLevel * 100:0} % CI " +
                    $"{format.Money(incremental.Lower)} to {format.Money(incremental.Upper)}), {format.Money(incremental.PerCustomer)} a customer");
            }
        }

        output.WriteLine();
        output.WriteLine($"Days (by day of entry, {report.TimeZone}):");
        Row(output, 26, "day", "entered", "paid", "rate", "revenue");
        foreach (var day in report.Days)
        {
            Row(output, 26, day.Date.ToString("uuuu-MM-dd", null), format.Count(day.Entered), format.Count(day.Converted), format.Percent(day.ConversionRate), format.Money(day.Revenue));
        }
    }

    /// <summary>A time after the start, the way the rules and timelines write it: <c>+24:30:00</c>.</summary>
    /// <param name="duration">The time after the start.</param>
    public static string Offset(Duration duration) => TimelineWriter.Offset(duration);

    private static string Verdict(Uplift uplift, ReportFormat format) =>
        $"{Points(uplift.Difference, format)} ({uplift.ConfidenceLevel * 100:0} % CI {Points(uplift.Lower, format)} to {Points(uplift.Upper, format)}), " +
        $"{(uplift.PValue < 0.001 ? $"p < {0.001.ToString("0.000", format.Culture)}" : $"p = {uplift.PValue.ToString("0.000", format.Culture)}")}: " +
        $"{(uplift.IsSignificant ? "significant" : "not significant")}";

    private static string Points(double difference, ReportFormat format) => $"{(difference * 100).ToString("+0.0;-0.0;0.0", format.Culture)} pts";

    // The first column is left-aligned to its width, the others right-aligned to 14, always two spaces apart.
    private static void Row(TextWriter output, int width, string first, params string[] others) =>
        output.WriteLine($"  {first.PadRight(width)}{string.Concat(others.Select(o => "  " + o.PadLeft(14)))}".TrimEnd());
}
