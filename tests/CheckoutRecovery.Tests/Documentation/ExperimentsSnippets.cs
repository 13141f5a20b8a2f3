using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Reports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>
/// The code of docs/experiments.md, compiled: each <c>// begin-snippet</c> region is a block of the page, word for word
/// (<see cref="Snippets.SnippetRegionsTests"/>); <see cref="ExperimentsSnippetsTests"/> runs the snippets.
/// </summary>
public static class ExperimentsSnippets
{
    // ## A/B tests
    public static JourneyDefinition PushTextTest() =>
        // begin-snippet: experiments-push-text-test
        Journey.When<CheckoutAbandoned>(e => e.SecondsOnPaymentPage > 30)
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .AfterStart(5.Minutes()).Experiment("push-text", test => test
                .Variant("urgent", 50, p => p.Push("push-urgent", m => m.Body("Il ne vous reste que 15 minutes pour profiter de la remise !")))
                .Variant("helpful", 50, p => p.Push("push-helpful", m => m.Body("Un souci avec le paiement ? Votre panier vous attend."))))
            .Then().AfterStart(1.Hours()).Email("email-reminder", m => m.Subject("Votre commande vous attend").TextBody("..."))
            .Build();
        // end-snippet

    // ### A rollout to a share of customers
    public static JourneyDefinition SoonerEmailRollout() =>
        // begin-snippet: experiments-rollout
        Journey.When<CheckoutAbandoned>()
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .Experiment("email-timing", test => test
                .Variant("one-hour", 90, p => p.After(1.Hours()).Email("email-after-1h", m => m.Subject("Votre commande vous attend").TextBody("...")))
                .Variant("twenty-minutes", 10, p => p.After(20.Minutes()).Email("email-after-20m", m => m.Subject("Votre commande vous attend").TextBody("..."))))
            .Then().AfterStart(1.Days()).Push("push-last-call", p => p.Body("Dernier rappel"))
            .Build();
        // end-snippet

    // ### The variant of a customer
    public static string VariantShownOnTheWebsite(JourneyDefinition journey, string customerId) =>
        // begin-snippet: experiments-variant-of
        journey.VariantOf("push-text", customerId);
        // end-snippet

    // ## Holdout
    public static JourneyDefinition WithHoldout() =>
        // begin-snippet: experiments-holdout
        Journey.When<CheckoutAbandoned>()
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .Holdout(10)
            .AfterStart(5.Minutes()).Push("push-reminder", p => p.Body("Votre commande n'est pas payée."))
            .Then().AfterStart(1.Hours()).Email("email-reminder", m => m.Subject("Votre commande vous attend").TextBody("..."))
            .Then().AfterStart(2.Hours()).Do("tag-in-crm", (c, cancellationToken) =>
                c.IsHoldout ? ValueTask.CompletedTask : Crm.TagAsync(c.Event.OrderId, "reminded", cancellationToken))
            .Build();
        // end-snippet

    // ## Attribution
    public static JourneyDefinition WithAttributionWindow() =>
        // begin-snippet: experiments-attribution-window
        Journey.When<CheckoutAbandoned>()
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .AttributionWindow(3.Days())
            .AfterStart(5.Minutes()).Push("push-reminder", p => p.Body("Votre commande n'est pas payée."))
            .Build();
        // end-snippet

    // ## Reports
    public static async Task<JourneyReport> LastWeek(JourneyEngine engine, Instant now)
    {
        // begin-snippet: experiments-report
        var report = await engine.ReportAsync("checkout-recovery", new JourneyReportOptions { From = now - Duration.FromDays(7), To = now });
        Console.WriteLine($"{report.Entered} entered, {report.Converted} paid ({report.ConversionRate:P1}), {report.RecoveredRevenue} recovered");
        foreach (var variant in report.Experiments.Single(e => e.Name == "push-text").Variants)
        {
            Console.WriteLine($"{variant.Name}: {variant.Converted}/{variant.Assigned}, p = {variant.VersusOthers?.PValue:0.000}, significant: {variant.VersusOthers?.IsSignificant}");
        }

        if (report.Holdout?.Uplift is { } uplift)
        {
            Console.WriteLine($"journey vs holdout: {uplift.Difference:+0.0%;-0.0%} ({uplift.Lower:+0.0%;-0.0%} to {uplift.Upper:+0.0%;-0.0%})");
        }
        // end-snippet

        return report;
    }

    public static ValueTask<JourneyReport> FromAnyStore(IJourneyStore store, JourneyDefinition journey) =>
        // begin-snippet: experiments-report-from-any-store
        JourneyReports.CreateAsync(store, journey, new JourneyReportOptions { ConfidenceLevel = 0.99 });
        // end-snippet

    // ### Export
    public static void Export(JourneyReport report, string directory)
    {
        // begin-snippet: experiments-export
        File.WriteAllText(Path.Combine(directory, "report.csv"), report.ToCsv());
        File.WriteAllText(Path.Combine(directory, "report.json"), report.ToJson());
        File.WriteAllText(Path.Combine(directory, "funnel.svg"), report.ToFunnelSvg());
        File.WriteAllText(Path.Combine(directory, "variants.svg"), report.ToComparisonSvg());
        File.WriteAllText(Path.Combine(directory, "report.html"), report.ToHtml());
        // end-snippet
    }

    // ### Comparing any two groups
    public static Uplift? CompareByHand() =>
        // begin-snippet: experiments-uplift-compare
        Uplift.Compare(conversions: 452, size: 1_652, baselineConversions: 378, baselineSize: 1_668);
        // end-snippet
}

/// <summary>The host's CRM, as the holdout snippet calls it.</summary>
public static class Crm
{
    public static List<(string OrderId, string Tag)> Tags { get; } = [];

    public static ValueTask TagAsync(string orderId, string tag, CancellationToken cancellationToken)
    {
        lock (Tags)
        {
            Tags.Add((orderId, tag));
        }

        return ValueTask.CompletedTask;
    }
}
