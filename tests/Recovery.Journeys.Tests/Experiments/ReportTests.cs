using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Reports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Experiments;

/// <summary>A report on eight customers whose every figure is worked out by hand below.</summary>
public sealed class ReportTests
{
    private static JourneyDefinition Journey() =>
        Dsl.Journey.When<CheckoutAbandoned>().Named("report-test").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, x => x.WithValue(e => e.Amount))
            .ExitWhen<OrderCancelled>(e => e.OrderId, x => x.NotAConversion())
            .Holdout(20)
            .AttributionWindow(2.Hours())
            .AfterStart(5.Minutes()).Push("push-reminder", p => p.Body("x"))
            .Then().AfterStart(1.Hours()).Experiment("email-text", e => e
                .Variant("A", 50, p => p.Email("email-a", m => m.Subject("a").TextBody("a")))
                .Variant("B", 50, p => p.Email("email-b", m => m.Subject("b").TextBody("b"))))
            .Build();

    /// <summary>
    /// H1, H2 in the holdout (H2 would be in variant A); A1-A3 in the journey and variant A; B1-B3 in variant B.
    /// H1 pays 100 at +30 min. A1 pays 50 at +30 min (after the push). A2 pays 70 at +1 h 30 (after e-mail A).
    /// A3 never pays. B1 has no e-mail address and pays 40 at +2 h 30, 2 h 25 after the push: outside the 2 h window.
    /// B2 cancels at +2 h. B3 has no push token and never pays.
    /// </summary>
    private static async Task<(JourneyReport Report, JourneyTestHarness Harness)> RunAsync()
    {
        var journey = Journey();
        var ids = Enumerable.Range(0, 1_000).Select(i => $"cust-{i}").ToList();
        var held = ids.Where(journey.IsInHoldout).ToList();
        var treated = ids.Where(c => !journey.IsInHoldout(c)).ToList();
        var (h1, h2) = (held.First(c => journey.VariantOf("email-text", c) == "B"), held.First(c => journey.VariantOf("email-text", c) == "A"));
        var inA = treated.Where(c => journey.VariantOf("email-text", c) == "A").Take(3).ToList();
        var inB = treated.Where(c => journey.VariantOf("email-text", c) == "B").Take(3).ToList();

        var harness = new JourneyTestHarness(journey);
        foreach (var (name, id) in new[] { ("H1", h1), ("H2", h2), ("A1", inA[0]), ("A2", inA[1]), ("A3", inA[2]), ("B1", inB[0]), ("B2", inB[1]), ("B3", inB[2]) })
        {
            var customer = new Customer(id) { Email = name == "B1" ? null : $"{id}@example.com", PushToken = name == "B3" ? null : "token" };
            await harness.PublishAsync(Shop.Abandoned(name, customer: customer));
        }

        await harness.AdvanceAsync(30.Minutes());
        await harness.PublishAsync(new OrderPaid("H1", 100m));
        await harness.PublishAsync(new OrderPaid("A1", 50m));
        await harness.AdvanceAsync(1.Hours());
        await harness.PublishAsync(new OrderPaid("A2", 70m));
        await harness.AdvanceAsync(30.Minutes());
        await harness.PublishAsync(new OrderCancelled("B2"));
        await harness.AdvanceAsync(30.Minutes());
        await harness.PublishAsync(new OrderPaid("B1", 40m));
        await harness.AdvanceAsync(6.Hours());

        return (await harness.Engine.ReportAsync("report-test"), harness);
    }

    [Fact]
    public async Task Report_OnAKnownPopulation_GivesTheFiguresWorkedOutByHand()
    {
        var (report, harness) = await RunAsync();
        using var _ = harness;

        // Entered 8; converted H1, A1, A2, B1 (4), of which A1 and A2 within the window after a message (2).
        // Revenue 100 + 50 + 70 + 40 = 260; recovered 50 + 70 = 120. Completed H2, A3, B3; exited B2.
        report.Should().BeEquivalentTo(new
        {
            JourneyName = "report-test",
            Entered = 8,
            Converted = 4,
            AttributedConversions = 2,
            ConversionRate = 0.5,
            Revenue = 260m,
            RecoveredRevenue = 120m,
            Completed = 3,
            Exited = 1,
            Active = 0,
        });

        // push-reminder at +5 min: sent to A1, A2, A3, B1, B2; skipped for B3 (no token); held out for H1 and H2.
        // email-a at +1 h: sent to A2 and A3 (A1 had paid), held out for H2. email-b: sent to B2 and B3, skipped for B1.
        report.Steps.Select(s => (s.StepId, s.Channel, s.Sent, s.Skipped, s.HeldOut, s.Failed, s.Converted, s.Revenue)).Should().Equal(
            ("push-reminder", "push", 5, 1, 2, 0, 1, 50m),
            ("email-a", "email", 2, 0, 1, 0, 1, 70m),
            ("email-b", "email", 2, 1, 0, 0, 0, 0m));
        report.Channels.Select(c => (c.Channel, c.Sent, c.Skipped, c.HeldOut, c.Failed, c.Converted, c.Revenue)).Should().Equal(
            ("email", 4, 1, 1, 0, 1, 70m),
            ("push", 5, 1, 2, 0, 1, 50m));
    }

    [Fact]
    public async Task Report_OnAKnownPopulation_ComparesVariantsAndHoldoutByHand()
    {
        var (report, harness) = await RunAsync();
        using var _ = harness;

        // Variants, holdout left out, among those who reached the experiment at +1 h (A1 had paid before it):
        // A: A2, A3 assigned, A2 converted: 1/2. B: B1, B2, B3 assigned, B1 converted: 1/3.
        // A vs B: difference 1/2 − 1/3 = 0.16667; pooled p = 2/5 = 0.4; SE = √(0.4 · 0.6 · (1/2 + 1/3)) = √0.2 = 0.44721;
        // z = 0.16667 / 0.44721 = 0.37268; two-sided p = 2 Φ(−0.37268) = 0.70939.
        // 95 % interval: SE = √(0.25/2 + (2/9)/3) = 0.44618; 1.95996 · 0.44618 = 0.87450: −0.70783 to 1.04117.
        var experiment = report.Experiments.Should().ContainSingle().Subject;
        experiment.Name.Should().Be("email-text");
        experiment.Variants.Select(v => (v.Name, v.Weight, v.Assigned, v.Converted, v.Revenue)).Should().Equal(("A", 50, 2, 1, 70m), ("B", 50, 3, 1, 40m));
        var a = experiment.Variants[0].VersusOthers!;
        a.Difference.Should().BeApproximately(0.16667, 1e-5);
        a.Z.Should().BeApproximately(0.37268, 1e-5);
        a.PValue.Should().BeApproximately(0.70939, 1e-4);
        a.Lower.Should().BeApproximately(-0.70783, 1e-4);
        a.Upper.Should().BeApproximately(1.04117, 1e-4);
        a.IsSignificant.Should().BeFalse();
        experiment.Variants[1].VersusOthers!.Z.Should().BeApproximately(-0.37268, 1e-5);

        // Journey group: 6 entered, A1, A2, B1 converted (3/6, 160). Holdout: 2 entered, H1 converted (1/2, 100).
        // Difference 0, z 0, p-value 1.
        var holdout = report.Holdout!;
        (holdout.Percent, holdout.Journey.Entered, holdout.Journey.Converted, holdout.Journey.Revenue).Should().Be((20, 6, 3, 160m));
        (holdout.Holdout.Entered, holdout.Holdout.Converted, holdout.Holdout.Revenue).Should().Be((2, 1, 100m));
        holdout.Uplift!.Difference.Should().Be(0);
        holdout.Uplift.PValue.Should().Be(1);
        holdout.Uplift.RelativeUplift.Should().Be(0);
    }

    [Fact]
    public async Task Report_ForAPeriod_CoversTheInstancesThatEnteredInIt_WithEverythingThatHappenedToThemSince()
    {
        var journey = Journey();
        var customer = Enumerable.Range(0, 100).Select(i => $"c-{i}").First(c => !journey.IsInHoldout(c));
        using var harness = new JourneyTestHarness(journey);
        var start = harness.Clock.Now;

        await harness.PublishAsync(Shop.Abandoned("early", customer: new Customer(customer) { PushToken = "t" }));
        await harness.AdvanceAsync(1.Days());
        await harness.PublishAsync(Shop.Abandoned("late", customer: new Customer(customer) { PushToken = "t" }));
        await harness.AdvanceAsync(10.Minutes());
        await harness.PublishAsync(new OrderPaid("late", 10m));

        var early = await harness.Engine.ReportAsync("report-test", new JourneyReportOptions { To = start + 12.Hours() });
        var late = await harness.Engine.ReportAsync("report-test", new JourneyReportOptions { From = start + 12.Hours() });

        (early.Entered, early.Converted, early.Steps[0].Sent).Should().Be((1, 0, 1));
        (late.Entered, late.Converted, late.RecoveredRevenue, late.Steps[0].Sent).Should().Be((1, 1, 10m, 1));
        late.From.Should().Be(start + 12.Hours());
    }

    [Fact]
    public async Task Report_Exports_CsvJsonSvgAndHtml_WithTheSameFigures()
    {
        var (report, harness) = await RunAsync();
        using var _ = harness;

        var csv = report.ToCsv().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        csv[0].Should().StartWith("section,journey,step,channel,experiment,variant,group,entered,sent,skipped,held_out,failed,converted,conversion_rate,revenue,");
        csv.Should().Contain("journey,report-test,,,,,,8,,,,,4,0.5,260,,,,,,,,,,,,");
        csv.Should().Contain("step,report-test,push-reminder,push,,,,,5,1,2,0,1,,50,,,,,,,,,,,,");
        csv.Should().Contain(l => l.StartsWith("variant,report-test,,,email-text,A,,2,,,,,1,0.5,70,0.166667,0.5,", StringComparison.Ordinal) && l.EndsWith(",false,,,,,", StringComparison.Ordinal));
        // Journey 3/6 against holdout 1/2: SE = √(0.25/6 + 0.25/2) = 0.408248, half-width 1.959964 · 0.408248 = 0.800152.
        csv.Should().Contain("group,report-test,,,,,journey,6,,,,,3,0.5,160,0,0,-0.800152,0.800152,0,1,false,,,,,");

        using var json = JsonDocument.Parse(report.ToJson());
        json.RootElement.GetProperty("entered").GetInt32().Should().Be(8);
        json.RootElement.GetProperty("experiments")[0].GetProperty("variants")[1].GetProperty("versusOthers").GetProperty("z").GetDouble().Should().BeApproximately(-0.37268, 1e-5);
        json.RootElement.GetProperty("holdout").GetProperty("holdout").GetProperty("converted").GetInt32().Should().Be(1);

        var funnel = XDocument.Parse(report.ToFunnelSvg());
        funnel.Root!.Name.LocalName.Should().Be("svg");
        funnel.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).Should()
            .Contain(["entered", "8 (100 %)", "push-reminder (push) sent", "5 (62.5 %)", "converted after a message", "2 (25 %)"]);
        var comparison = XDocument.Parse(report.ToComparisonSvg());
        comparison.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).Should()
            .Contain(["Experiment email-text", "B vs A: -16.7 pts (95 % CI -104.1 pts to +70.8 pts), p = 0.709: not significant", "50 % (1 / 2)", "33.3 % (1 / 3)"]);

        var html = report.ToHtml();
        html.Should().StartWith("<!DOCTYPE html>").And.Contain(report.ToFunnelSvg()).And.Contain(report.ToComparisonSvg());
        html.Should().NotContain("<script").And.NotContain("src=").And.NotContain("<link");
    }

    [Fact]
    public async Task Report_InFrFR_WritesUpliftsAndPValuesWithTheCulturesDecimalComma()
    {
        var (report, harness) = await RunAsync();
        using var _ = harness;
        var format = new ReportFormat(CultureInfo.GetCultureInfo("fr-FR"), "EUR");

        // The same figures as the invariant picture above (B vs A: −16.7 pts, interval −104.1 to +70.8, p = 0.709),
        // written by hand with fr-FR's decimal comma; its percentages are the culture's own (95 %, 33,3 % with its spaces).
        var comparison = XDocument.Parse(report.ToComparisonSvg(format));
        var texts = comparison.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        texts.Should().Contain($"B vs A: -16,7 pts ({0.95.ToString("P0", format.Culture)} CI -104,1 pts to +70,8 pts), p = 0,709: not significant");
        texts.Should().Contain($"{(1.0 / 3).ToString("P1", format.Culture)} (1 / 3)");

        // The HTML page's comparison table: variant A against B, +16,7 pts, p = 0,709; the holdout row: 0,0 pts, p = 1,000.
        var html = report.ToHtml(format);
        html.Should().Contain("<td>+16,7 pts</td>").And.Contain("<td>p = 0,709</td>").And.Contain("<td>0,0 pts</td>").And.Contain("<td>p = 1,000</td>");
        html.Should().Contain(report.ToComparisonSvg(format)).And.NotContain("0.709");
    }

    [Fact]
    public async Task Report_WithoutExperimentsOrHoldout_HasNone_AndItsComparisonPictureSaysSo()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecovery());
        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(10.Minutes());

        var report = await harness.Engine.ReportAsync("checkout-recovery");

        report.Experiments.Should().BeEmpty();
        report.Holdout.Should().BeNull();
        (report.Entered, report.Active).Should().Be((1, 1));
        report.ToComparisonSvg().Should().Contain("This journey has no experiment and no holdout.");
    }

    [Fact]
    public async Task ReportAsync_UnknownJourney_OrABackwardPeriod_Throws()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecovery());

        var unknown = () => harness.Engine.ReportAsync("nope").AsTask();
        var backward = () => harness.Engine.ReportAsync("checkout-recovery", new JourneyReportOptions { From = harness.Clock.Now, To = harness.Clock.Now - 1.Hours() }).AsTask();

        await unknown.Should().ThrowAsync<ArgumentException>().WithMessage("No journey is named 'nope'.*");
        await backward.Should().ThrowAsync<ArgumentException>().WithMessage("The report's period ends*before it starts*");
    }
}
