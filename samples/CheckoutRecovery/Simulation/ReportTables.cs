using System.Globalization;
using NodaTime;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Reports;

namespace CheckoutRecovery.Simulation;

/// <summary>
/// Prints the tables of a <see cref="JourneyReport"/> (the steps' funnel, each A/B test's variants, the journey
/// against its holdout) with amounts in euros, the French way. Every scenario prints its report with them.
/// </summary>
public static class ReportTables
{
    /// <summary>Writes one row per step: when it is due, how many were sent, skipped and held out, and the payments and revenue attributed to it.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="report">The journey's report.</param>
    /// <param name="journey">The journey, for each step's due time.</param>
    public static void WriteSteps(TextWriter output, JourneyReport report, JourneyDefinition journey)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(journey);
        var due = DueAfterStart(journey);
        output.WriteLine($"  {"step",-24}{"due",8}{"sent",8}{"skipped",9}{"held out",10}{"paid after",12}{"revenue",15}");
        foreach (var step in report.Steps)
        {
            var timing = journey.ExitSteps.Any(s => s.Id == step.StepId) ? "at exit" : Delay(due.GetValueOrDefault(step.StepId));
            output.WriteLine(
                $"  {step.StepId,-24}{timing,8}{FrenchFormat.Count(step.Sent),8}{FrenchFormat.Count(step.Skipped),9}{FrenchFormat.Count(step.HeldOut),10}" +
                $"{FrenchFormat.Count(step.Converted),12}{FrenchFormat.Euros(step.Revenue),15}");
        }

        output.WriteLine(
            $"  {"not after a message",-24}{string.Empty,8}{string.Empty,8}{string.Empty,9}{string.Empty,10}" +
            $"{FrenchFormat.Count(report.Converted - report.AttributedConversions),12}{FrenchFormat.Euros(report.Revenue - report.RecoveredRevenue),15}");
        output.WriteLine(
            $"  {"total",-24}{string.Empty,8}{FrenchFormat.Count(report.Steps.Sum(s => s.Sent)),8}{FrenchFormat.Count(report.Steps.Sum(s => s.Skipped)),9}{FrenchFormat.Count(report.Steps.Sum(s => s.HeldOut)),10}" +
            $"{FrenchFormat.Count(report.Converted),12}{FrenchFormat.Euros(report.Revenue),15}");
    }

    /// <summary>Writes an A/B test's variants (weight, customers, payments, rate, revenue) and, for two variants, the second against the first.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="experiment">The experiment's part of the report.</param>
    public static void WriteVariants(TextWriter output, ExperimentReport experiment)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(experiment);
        var width = Math.Max(10, experiment.Variants.Max(v => v.Name.Length) + 2);
        output.WriteLine($"  {"variant".PadRight(width)}{"weight",8}{"customers",11}{"paid",8}{"rate",9}{"revenue",15}");
        foreach (var variant in experiment.Variants)
        {
            output.WriteLine(
                $"  {variant.Name.PadRight(width)}{variant.Weight + " %",8}{FrenchFormat.Count(variant.Assigned),11}{FrenchFormat.Count(variant.Converted),8}" +
                $"{Percent(variant.ConversionRate),9}{FrenchFormat.Euros(variant.Revenue),15}");
        }

        if (experiment.Variants is [var first, var second] && second.VersusOthers is { } uplift)
        {
            output.WriteLine($"  {second.Name} vs {first.Name}: {Verdict(uplift)}");
        }
    }

    /// <summary>Writes the journey group against the holdout, and the uplift.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="holdout">The holdout's part of the report.</param>
    public static void WriteHoldout(TextWriter output, HoldoutReport holdout)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(holdout);
        output.WriteLine($"  {"group",-10}{"customers",11}{"paid",8}{"rate",9}{"revenue",15}");
        foreach (var group in new[] { holdout.Journey, holdout.Holdout })
        {
            output.WriteLine(
                $"  {group.Name,-10}{FrenchFormat.Count(group.Entered),11}{FrenchFormat.Count(group.Converted),8}{Percent(group.ConversionRate),9}{FrenchFormat.Euros(group.Revenue),15}");
        }

        if (holdout.Uplift is { } uplift)
        {
            output.WriteLine($"  journey vs holdout: {Verdict(uplift)}");
        }
    }

    /// <summary>A ratio as a percentage with one decimal: <c>27.3 %</c>.</summary>
    /// <param name="ratio">The ratio.</param>
    public static string Percent(double ratio) => ratio.ToString("P1", CultureInfo.InvariantCulture);

    /// <summary>The uplift in percentage points with its interval and the z-test's verdict.</summary>
    private static string Verdict(Uplift uplift) =>
        $"{Points(uplift.Difference)} ({uplift.ConfidenceLevel * 100:0} % CI {Points(uplift.Lower)} to {Points(uplift.Upper)}), " +
        $"{(uplift.PValue < 0.001 ? "p < 0.001" : $"p = {uplift.PValue.ToString("0.000", CultureInfo.InvariantCulture)}")}: " +
        $"{(uplift.IsSignificant ? "significant" : "not significant")} (two-proportion z-test)";

    /// <summary>When each step is due after the start, its previous steps on time: a step inside a variant is due with the experiment.</summary>
    private static Dictionary<string, Duration> DueAfterStart(JourneyDefinition journey)
    {
        var due = new Dictionary<string, Duration>(StringComparer.Ordinal);
        foreach (var step in journey.Steps)
        {
            // Steps come in reading order: a step's predecessor is always before it.
            var previous = journey.Steps.FirstOrDefault(s => s.Transitions.Any(t => t.TargetStepId == step.Id));
            var from = step.Timing.Anchor == StepTimingAnchor.JourneyStart || previous is null ? Duration.Zero : due[previous.Id];
            due[step.Id] = from + step.Timing.Delay;
        }

        return due;
    }

    private static string Points(double difference) => $"{(difference * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)} pts";

    private static string Delay(Duration delay) =>
        delay < Duration.FromHours(1) ? $"+{(long)delay.TotalMinutes} min"
        : delay.Minutes == 0 ? $"+{(long)delay.TotalHours} h"
        : $"+{(long)delay.TotalHours} h {delay.Minutes:00}";
}
