using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Reports;
using Recovery.Journeys.Storage;

namespace CheckoutRecovery.Simulation;

/// <summary>Prints a <see cref="SimulationReport"/>: the two featured customers' timelines and the funnel.</summary>
public static partial class ReportWriter
{
    private static readonly InstantPattern Time = InstantPattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss'Z'");

    /// <summary>Writes the report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="output">Where to write it.</param>
    public static void Write(SimulationReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var options = report.Options;
        output.WriteLine("Recovery.Journeys sample: scenario S1, the unpaid-checkout reminder (push +5 min, e-mail +1 h, push +24 h)");
        output.WriteLine(
            $"{FrenchFormat.Count(options.Customers)} simulated customers, seed {options.Seed}, on the fake clock from " +
            $"{Time.Format(options.Start)} to {Time.Format(report.SimulatedUntil)}");

        WriteStory(output, "1. A customer who never pays", report.Unpaid);
        WriteStory(output, "2. A customer who pays after the helpful first push", report.PaidAfterFirstPush);
        WriteStory(output, "3. A customer in the holdout, who gets nothing", report.Holdout);
        WriteFunnel(output, report);
        WriteExperiments(output, report.Report);
        WriteHoldout(output, report.Report);
    }

    private static void WriteStory(TextWriter output, string title, CustomerStory? story)
    {
        if (story is null)
        {
            output.WriteLine();
            output.WriteLine($"== {title}: nobody in this population ==");
            return;
        }

        var customer = story.Customer;
        var abandoned = customer.Abandoned;
        output.WriteLine();
        output.WriteLine($"== {title}: {abandoned.Customer.Name}, order {abandoned.OrderId} ==");
        output.WriteLine(
            $"Left the payment page at {Time.Format(customer.AbandonedAt)} after {abandoned.SecondsOnPaymentPage} s, " +
            $"{abandoned.Items.Count} item(s), {FrenchFormat.Euros(abandoned.Total)} with {abandoned.DiscountPercent} % off.");
        output.WriteLine("Timeline (from the store), times after the abandonment:");
        foreach (var record in story.Timeline)
        {
            var offset = Offset(record.At - story.Instance.StartedAt);
            switch (record.Kind)
            {
                case JourneyRecordKind.Sent when record.Channel == "action":
                    output.WriteLine($"  {offset}  {record.StepId} ran (host action)");
                    break;
                case JourneyRecordKind.Sent:
                    output.WriteLine($"  {offset}  {record.StepId} sent ({record.Channel})");
                    foreach (var message in story.Messages.Where(m => m.StepId == record.StepId))
                    {
                        WriteMessage(output, message.Message);
                    }

                    break;
                case JourneyRecordKind.Converted:
                    output.WriteLine(
                        $"  {offset}  paid {FrenchFormat.Euros(record.Value ?? 0m)}: converted ({record.Detail}), " +
                        $"attributed to {record.StepId ?? "no reminder"}");
                    break;
                case JourneyRecordKind.Entered or JourneyRecordKind.Completed:
                    output.WriteLine($"  {offset}  {record.Kind.ToString().ToLowerInvariant()}");
                    break;
                case JourneyRecordKind.Assigned:
                    output.WriteLine(record.StepId is not null ? $"  {offset}  assigned to {record.StepId}: {record.Detail}"
                        : record.Detail == "holdout" ? $"  {offset}  in the holdout: sent nothing"
                        : $"  {offset}  not in the holdout");
                    break;
                default:
                    output.WriteLine($"  {offset}  {record.Kind.ToString().ToLowerInvariant()} {record.StepId}: {record.Detail}");
                    break;
            }
        }

        if (story.Instance.EndedAt is { } endedAt && story.Instance.Status == JourneyStatus.Converted)
        {
            var after = story.Messages.Count(m => m.At > endedAt);
            output.WriteLine(
                $"Messages the channels received for this order: {story.Messages.Count}; after the payment: {after}. " +
                $"Status: {story.Instance.Status}.");
        }
        else
        {
            output.WriteLine($"Messages the channels received for this order: {story.Messages.Count}. Status: {story.Instance.Status}.");
        }
    }

    private static void WriteMessage(TextWriter output, object message)
    {
        const string Indent = "        ";
        switch (message)
        {
            case PushMessage push:
                output.WriteLine($"{Indent}push  [{push.Icon}] {push.Title}");
                output.WriteLine($"{Indent}      {push.Body}");
                output.WriteLine($"{Indent}      tap -> {push.DeepLink}");
                break;
            case EmailMessage email:
                output.WriteLine($"{Indent}e-mail  Objet : {email.Subject}");
                foreach (var line in (email.TextBody ?? string.Empty).Split('\n'))
                {
                    output.WriteLine($"{Indent}  | {line.TrimEnd('\r')}".TrimEnd());
                }

                var html = email.HtmlBody ?? string.Empty;
                output.WriteLine(
                    $"{Indent}  HTML body: {html.Length} characters, {ImageTag().Count(html)} <img>, " +
                    $"{LinkTag().Count(html)} links");
                break;
        }
    }

    private static void WriteFunnel(TextWriter output, SimulationReport report)
    {
        var funnel = report.Report;
        var published = report.Population.Count;
        output.WriteLine();
        output.WriteLine($"== 4. Report of '{funnel.JourneyName}', read from the store's timelines ==");
        output.WriteLine($"  checkouts abandoned (events published)   {Right(FrenchFormat.Count(published), 8)}");
        output.WriteLine($"  left within 30 s, did not enter          {Right(FrenchFormat.Count(published - funnel.Entered), 8)}");
        output.WriteLine($"  entered the journey                      {Right(FrenchFormat.Count(funnel.Entered), 8)}");
        if (funnel.Holdout is { } holdout)
        {
            output.WriteLine($"    of whom held out ({holdout.Percent} %), sent nothing   {Right(FrenchFormat.Count(holdout.Holdout.Entered), 8)}");
        }

        output.WriteLine();
        output.WriteLine($"  {"step",-24}{"due",8}{"sent",8}{"skipped",9}{"held out",10}{"paid after",12}{"revenue",15}");
        foreach (var step in funnel.Steps)
        {
            var timing = DueAfterStart(report.Journey).GetValueOrDefault(step.StepId);
            output.WriteLine(
                $"  {step.StepId,-24}{Delay(timing),8}{FrenchFormat.Count(step.Sent),8}{FrenchFormat.Count(step.Skipped),9}{FrenchFormat.Count(step.HeldOut),10}" +
                $"{FrenchFormat.Count(step.Converted),12}{FrenchFormat.Euros(step.Revenue),15}");
        }

        output.WriteLine(
            $"  {"not after a message",-24}{string.Empty,8}{string.Empty,8}{string.Empty,9}{string.Empty,10}" +
            $"{FrenchFormat.Count(funnel.Converted - funnel.AttributedConversions),12}{FrenchFormat.Euros(funnel.Revenue - funnel.RecoveredRevenue),15}");
        output.WriteLine(
            $"  {"total",-24}{string.Empty,8}{FrenchFormat.Count(funnel.Steps.Sum(s => s.Sent)),8}{FrenchFormat.Count(funnel.Steps.Sum(s => s.Skipped)),9}{FrenchFormat.Count(funnel.Steps.Sum(s => s.HeldOut)),10}" +
            $"{FrenchFormat.Count(funnel.Converted),12}{FrenchFormat.Euros(funnel.Revenue),15}");
        output.WriteLine();
        output.WriteLine(
            $"  conversion rate: {Percent(funnel.ConversionRate)} of the customers who entered " +
            $"({FrenchFormat.Count(funnel.Converted)} / {FrenchFormat.Count(funnel.Entered)}), holdout included");
        output.WriteLine(
            $"  completed the journey without paying: {FrenchFormat.Count(funnel.Completed)}; exited: {FrenchFormat.Count(funnel.Exited)}; " +
            $"still active: {FrenchFormat.Count(funnel.Active)}");
        output.WriteLine(
            $"  recovered revenue (paid within {report.Journey.AttributionWindow.TotalHours:0} h of a reminder): {FrenchFormat.Euros(funnel.RecoveredRevenue)} " +
            $"from {FrenchFormat.Count(funnel.AttributedConversions)} orders");
        output.WriteLine(
            $"  the channels received {FrenchFormat.Count(report.Pushes.Count)} pushes and {FrenchFormat.Count(report.Emails.Count)} e-mails");
    }

    private static void WriteExperiments(TextWriter output, JourneyReport report)
    {
        foreach (var experiment in report.Experiments)
        {
            output.WriteLine();
            output.WriteLine($"== 5. A/B test '{experiment.Name}' (the first push's text), holdout left out ==");
            output.WriteLine($"  {"variant",-10}{"weight",8}{"customers",11}{"paid",8}{"rate",9}{"revenue",15}");
            foreach (var variant in experiment.Variants)
            {
                output.WriteLine(
                    $"  {variant.Name,-10}{variant.Weight + " %",8}{FrenchFormat.Count(variant.Assigned),11}{FrenchFormat.Count(variant.Converted),8}" +
                    $"{Percent(variant.ConversionRate),9}{FrenchFormat.Euros(variant.Revenue),15}");
            }

            if (experiment.Variants is [var first, var second] && second.VersusOthers is { } uplift)
            {
                output.WriteLine($"  {second.Name} vs {first.Name}: {Verdict(uplift)}");
            }
        }
    }

    private static void WriteHoldout(TextWriter output, JourneyReport report)
    {
        if (report.Holdout is not { } holdout)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"== 6. The journey against its {holdout.Percent} % holdout ==");
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

    private static string Percent(double ratio) => ratio.ToString("P1", CultureInfo.InvariantCulture);

    private static string Points(double difference) => $"{(difference * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)} pts";

    private static string Offset(Duration duration) =>
        $"+{(long)duration.TotalHours:00}:{duration.Minutes:00}:{duration.Seconds:00}";

    private static string Delay(Duration delay) =>
        delay < Duration.FromHours(1) ? $"+{(long)delay.TotalMinutes} min"
        : delay.Minutes == 0 ? $"+{(long)delay.TotalHours} h"
        : $"+{(long)delay.TotalHours} h {delay.Minutes:00}";

    private static string Right(string text, int width) => text.PadLeft(width);

    [GeneratedRegex("<img ")]
    private static partial Regex ImageTag();

    [GeneratedRegex("<a href=\"https://")]
    private static partial Regex LinkTag();
}
