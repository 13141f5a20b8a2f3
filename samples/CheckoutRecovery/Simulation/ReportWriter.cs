using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;
using Recovery.Journeys.Channels;
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
        WriteStory(output, "2. A customer who pays after the first push", report.PaidAfterFirstPush);
        WriteFunnel(output, report);
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
        var funnel = report.Funnel;
        var published = report.Population.Count;
        output.WriteLine();
        output.WriteLine($"== 3. Funnel of '{funnel.JourneyName}', read from the store's timeline entries ==");
        output.WriteLine($"  checkouts abandoned (events published)   {Right(FrenchFormat.Count(published), 8)}");
        output.WriteLine($"  left within 30 s, did not enter          {Right(FrenchFormat.Count(published - funnel.Entered), 8)}");
        output.WriteLine($"  entered the journey                      {Right(FrenchFormat.Count(funnel.Entered), 8)}");
        output.WriteLine();
        output.WriteLine($"  {"step",-24}{"due",8}{"sent",8}{"skipped",9}{"paid after",12}{"revenue",15}");
        output.WriteLine(
            $"  {"(before any reminder)",-24}{string.Empty,8}{string.Empty,8}{string.Empty,9}" +
            $"{FrenchFormat.Count(funnel.ConvertedBeforeFirstStep),12}{FrenchFormat.Euros(funnel.RevenueBeforeFirstStep),15}");
        foreach (var step in funnel.Steps)
        {
            if (step.Channel == "action")
            {
                output.WriteLine($"  {step.StepId,-24}{Delay(step.Timing.Delay),8}{FrenchFormat.Count(step.Sent),8} ran (host action; conversions go to the last message)");
                continue;
            }

            output.WriteLine(
                $"  {step.StepId,-24}{Delay(step.Timing.Delay),8}{FrenchFormat.Count(step.Sent),8}{FrenchFormat.Count(step.Skipped),9}" +
                $"{FrenchFormat.Count(step.Converted),12}{FrenchFormat.Euros(step.Revenue),15}");
        }

        output.WriteLine(
            $"  {"total",-24}{string.Empty,8}{FrenchFormat.Count(funnel.Steps.Where(s => s.Channel != "action").Sum(s => s.Sent)),8}{FrenchFormat.Count(funnel.Steps.Sum(s => s.Skipped)),9}" +
            $"{FrenchFormat.Count(funnel.Converted),12}{FrenchFormat.Euros(funnel.Revenue),15}");
        output.WriteLine();
        output.WriteLine(
            $"  conversion rate: {funnel.ConversionRate.ToString("P1", CultureInfo.InvariantCulture)} of the customers who entered " +
            $"({FrenchFormat.Count(funnel.Converted)} / {FrenchFormat.Count(funnel.Entered)})");
        output.WriteLine(
            $"  completed the journey without paying: {FrenchFormat.Count(funnel.Completed)}; exited: {FrenchFormat.Count(funnel.Exited)}; " +
            $"still active: {FrenchFormat.Count(funnel.Active)}");
        output.WriteLine(
            $"  recovered revenue (paid after a reminder): {FrenchFormat.Euros(funnel.RecoveredRevenue)} " +
            $"from {FrenchFormat.Count(funnel.Recovered)} orders");
        output.WriteLine(
            $"  the channels received {FrenchFormat.Count(report.Pushes.Count)} pushes and {FrenchFormat.Count(report.Emails.Count)} e-mails");
    }

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
