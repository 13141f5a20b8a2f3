using NodaTime.Text;
using Recovery.Journeys.Reports;
using Recovery.Journeys.Storage;

namespace CheckoutRecovery.Simulation;

/// <summary>Prints a <see cref="SimulationReport"/>: the two featured customers' timelines and the funnel.</summary>
public static class ReportWriter
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
        TimelineWriter.Write(output, new InstanceStory(story.Instance, story.Timeline, story.Messages));

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
        ReportTables.WriteSteps(output, funnel, report.Journey);
        output.WriteLine();
        output.WriteLine(
            $"  conversion rate: {ReportTables.Percent(funnel.ConversionRate)} of the customers who entered " +
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
            ReportTables.WriteVariants(output, experiment);
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
        ReportTables.WriteHoldout(output, holdout);
    }

    private static string Right(string text, int width) => text.PadLeft(width);
}
