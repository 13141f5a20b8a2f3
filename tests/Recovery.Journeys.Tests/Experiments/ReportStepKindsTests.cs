using System.Globalization;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Reports;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Experiments;

/// <summary>Reports on fan-out steps and coupon steps, and percentages in the shop's culture; figures worked out by hand in the comments.</summary>
public sealed class ReportStepKindsTests
{
    [Fact]
    public async Task AFanOutsConversion_CountsUnderEachChannelItWasSentOn_WithNoJoinedRow()
    {
        var journey = Journey.When<CheckoutAbandoned>().Named("fan-out-report").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, x => x.WithValue(e => e.Amount))
            .AfterStart(5.Minutes()).FanOut("both-pushes", c => c.Push(p => p.Body("a")).WebPush(w => w.Title("t").Body("b")))
            .Build();
        using var harness = new JourneyTestHarness(journey);
        // F1 can be reached on both and pays 30 after them; F2 has no browser subscription and pays 20 after the app push.
        await harness.PublishAsync(Shop.Abandoned("F1", customer: new Customer("cust-f1") { PushToken = "t1", WebPushEndpoint = "https://push.example.com/f1" }));
        await harness.PublishAsync(Shop.Abandoned("F2", customer: new Customer("cust-f2") { PushToken = "t2" }));
        await harness.AdvanceAsync(10.Minutes());
        await harness.PublishAsync(new OrderPaid("F1", 30m));
        await harness.PublishAsync(new OrderPaid("F2", 20m));

        var report = await harness.Engine.ReportAsync("fan-out-report");

        // push: sent to F1 and F2, both converted after it (30 + 20). web-push: sent to F1, skipped for F2, F1 converted (30).
        report.AttributedConversions.Should().Be(2);
        report.Channels.Select(c => (c.Channel, c.Sent, c.Skipped, c.Converted, c.Revenue)).Should().Equal(
            ("push", 2, 0, 2, 50m),
            ("web-push", 1, 1, 1, 30m));
        var step = report.Steps.Should().ContainSingle().Subject;
        (step.StepId, step.Channel, step.Sent, step.Skipped, step.Converted, step.Revenue).Should().Be(("both-pushes", "push+web-push", 3, 1, 2, 50m));
        step.Channels.Select(c => (c.Channel, c.Converted)).Should().Equal(("push", 2), ("web-push", 1));
        report.ToCsv().Should().NotContain(",push+web-push,,,,,2,").And.Contain("channel,fan-out-report,,web-push,,,,,1,1,0,0,1,,30,");
    }

    [Fact]
    public async Task CouponSteps_AreReported_WithWhatEachIssuedRaisedRevokedAndWithheld()
    {
        var journey = Journey.When<OrderUnpaid>().Named("coupon-report").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, x => x.WithValue(e => e.Amount))
            .Holdout(50)
            .AfterStart(30.Minutes()).IssueCoupon(c => c.Named("R-10").PercentOff(10).ValidFor(2.Days()).NotIfIssuedWithin(7.Days()), "issue")
            .Then().AfterStart(3.Hours()).RaiseCoupon(CouponDiscount.Percent(5), CouponStacking.Add, "raise")
            .Then().AfterStart(24.Hours()).RevokeCoupon("revoke")
            .Build();
        var ids = Enumerable.Range(0, 100).Select(i => $"cust-{i}").ToList();
        var (t1, t2, h1) = (ids.First(c => !journey.IsInHoldout(c)), ids.Where(c => !journey.IsInHoldout(c)).ElementAt(1), ids.First(journey.IsInHoldout));
        // No coupon service: the engine makes the codes itself.
        using var harness = new JourneyTestHarness(journey);

        // T1 never pays; T2 pays at +1 h; H1 (holdout) never pays; T1 leaves a second order at +1 h.
        await harness.PublishAsync(new OrderUnpaid("T1", new Customer(t1), "lamp", 40m));
        await harness.PublishAsync(new OrderUnpaid("T2", new Customer(t2), "lamp", 40m));
        await harness.PublishAsync(new OrderUnpaid("H1", new Customer(h1), "lamp", 40m));
        await harness.AdvanceAsync(1.Hours());
        await harness.PublishAsync(new OrderPaid("T2", 40m));
        await harness.PublishAsync(new OrderUnpaid("T1-second", new Customer(t1), "scarf", 25m));
        await harness.AdvanceAsync(3.Days());

        var report = await harness.Engine.ReportAsync("coupon-report");

        // issue (+30 min): T1 and T2 issued; H1 held out; T1-second (at +1 h 30) withheld: T1 got one within 7 days.
        // raise (+3 h): T1 raised; T2 had paid; H1 and T1-second have no coupon to raise (skipped).
        // revoke (+24 h): T1 revoked; H1 and T1-second skipped.
        report.CouponSteps.Select(s => (s.StepId, s.Action, s.Issued, s.Raised, s.Revoked, s.Withheld, s.HeldOut, s.Skipped, s.Failed)).Should().Equal(
            ("issue", "issue", 2, 0, 0, 1, 1, 0, 0),
            ("raise", "raise", 0, 1, 0, 0, 0, 2, 0),
            ("revoke", "revoke", 0, 0, 1, 0, 0, 2, 0));
        report.Steps.Should().BeEmpty("a coupon step sends no message");
        report.Channels.Should().BeEmpty();
        report.ToCsv().Should().Contain("coupon-step,coupon-report,issue,coupon,,,,,,0,1,0,,,,,,,,,,,issue,2,0,0,1");
        report.ToHtml().Should().Contain("<h2>Coupon steps</h2>").And.Contain("<td>revoke</td><td>revoke</td><td>0</td><td>0</td><td>1</td>");
    }

    [Theory]
    [InlineData("fr-CH")]
    [InlineData("fr-FR")]
    [InlineData("de-CH")]
    [InlineData("en-GB")]
    [InlineData("tr-TR")]
    public void Percentages_FollowTheCulturesOwnFormat(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        var format = new ReportFormat(culture, "CHF");

        format.Percent(0.273).Should().Be(0.273.ToString("P1", culture));
        format.Percent(0.25).Should().Be(0.25.ToString("P0", culture));
        format.Percent(1).Should().Be(1.0.ToString("P0", culture));
    }

    [Fact]
    public async Task AReportInFrCH_WritesItsPercentagesAsTheCultureDoes()
    {
        var culture = CultureInfo.GetCultureInfo("fr-CH");
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecovery());
        foreach (var order in new[] { "O-1", "O-2", "O-3" })
        {
            await harness.PublishAsync(Shop.Abandoned(order, customer: new Customer("cust-" + order) { Email = $"{order}@example.com" }));
        }

        await harness.AdvanceAsync(10.Minutes());
        await harness.PublishAsync(new OrderPaid("O-1", 49.90m));
        var report = await harness.Engine.ReportAsync("checkout-recovery");

        // 1 of 3 converted: 33.3 %, written as fr-CH writes it.
        var html = report.ToHtml(new ReportFormat(culture, "CHF"));

        report.ConversionRate.Should().BeApproximately(1.0 / 3, 1e-9);
        html.Should().Contain($"<td>{(1.0 / 3).ToString("P1", culture)}</td>");
    }
}
