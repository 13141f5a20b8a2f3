using System.Text.RegularExpressions;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>The journeys of docs/incentives.md, run on the fake clock: they do what the page says.</summary>
public sealed partial class IncentivesSnippetsTests
{
    [Fact]
    public async Task UnpaidOrderCoupon_RevokesAfter24Hours_AndWritesTheNoDiscountTextWhenWithheld()
    {
        using var harness = new JourneyTestHarness(IncentivesSnippets.UnpaidOrderCoupon());
        var customer = new Customer("c1") { Email = "c1@example.com" };

        await harness.PublishAsync(new OrderUnpaid("order-1", customer, "Formation Excel", 149m));
        await harness.AdvanceAsync(2.Days());
        await harness.PublishAsync(new OrderUnpaid("order-2", customer, "Formation Excel", 149m));
        await harness.AdvanceAsync(2.Days());

        var bodies = harness.SentOf<EmailMessage>().Select(s => s.Message.TextBody!.Trim()).ToList();
        bodies[0].Should().StartWith("Code RELANCE20-").And.Contain("20").And.Contain("valable 24 heures").And.Contain("119,20").And.Contain("149,00");
        bodies[1].Should().Be("Votre commande Formation Excel vous attend.");
        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.Kind == JourneyRecordKind.CouponRevoked);
    }

    [Fact]
    public async Task ExtraOffer_IssuesA20PercentCouponAtOnce_AndADayLaterAdds10Percent_ThePushShowing30PercentAndTheCode()
    {
        using var harness = new JourneyTestHarness(IncentivesSnippets.ExtraOffer());
        var start = harness.Clock.Now;

        await harness.PublishAsync(new CheckoutAbandoned("order-1", new Customer("c1") { PushToken = "t" }, [], 80m, 45));
        await harness.AdvanceAsync(24.Hours() - 1.Minutes());
        harness.Sent.Should().BeEmpty("the push comes with the raise, 24 hours after the coupon");
        await harness.AdvanceAsync(2.Minutes());

        var push = harness.SentOf<PushMessage>().Should().ContainSingle().Subject;
        (push.At - start).Should().Be(24.Hours());
        var body = PushBody().Match(push.Message.Body);
        body.Success.Should().BeTrue($"the body reads \"{push.Message.Body}\"");
        body.Groups["discount"].Value.Should().Be("30", "CouponStacking.Add: 20 % then 10 % is 30 %");

        // Without a coupon service the library draws the code: the name's letters and digits, a dash, 12 of 31 unambiguous characters.
        body.Groups["code"].Value.Should().MatchRegex("^FLASH-[2-9ABCDEFGHJKMNPQRSTUVWXYZ]{12}$");
        var timeline = await harness.TimelineAsync("order-1");
        timeline.Select(r => (r.Kind, r.At - start)).Should().ContainInOrder(
            (JourneyRecordKind.CouponIssued, NodaTime.Duration.Zero),
            (JourneyRecordKind.CouponRaised, 24.Hours()),
            (JourneyRecordKind.Sent, 24.Hours()));
        timeline.Select(r => r.Detail).Should().NotContain(d => d != null && d.Contains(body.Groups["code"].Value, StringComparison.Ordinal), "the timeline never holds the code");
    }

    [GeneratedRegex(@"^Payez dans les 30 minutes pour bénéficier de (?<discount>\d+)\s?% de remise avec (?<code>\S+) !$")]
    private static partial Regex PushBody();
}
