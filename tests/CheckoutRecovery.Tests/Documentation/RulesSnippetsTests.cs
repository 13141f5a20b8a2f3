using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;
using Recovery.Journeys.Timing;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>The journeys of docs/incentives.md and docs/timing-and-control.md build, and S5 runs as the page says.</summary>
public sealed class RulesSnippetsTests
{
    public static TheoryData<string> Journeys => new() { "UnpaidOrderCoupon", "ExtraOffer", "QuietHours", "WhileActive", "StageBased", "PaymentRetry", "OneReminderAboutTheLatestCart" };

    [Theory]
    [MemberData(nameof(Journeys))]
    public void EveryJourneyOfThePages_Builds(string name)
    {
        var build = () => name switch
        {
            "UnpaidOrderCoupon" => IncentivesSnippets.UnpaidOrderCoupon(),
            "ExtraOffer" => IncentivesSnippets.ExtraOffer(),
            "QuietHours" => TimingSnippets.QuietHours(),
            "WhileActive" => TimingSnippets.WhileActive(),
            "StageBased" => TimingSnippets.StageBased(),
            "PaymentRetry" => TimingSnippets.PaymentRetry(),
            _ => TimingSnippets.OneReminderAboutTheLatestCart(),
        };

        build.Should().NotThrow<JourneyDefinitionException>();
    }

    [Fact]
    public async Task UnpaidOrderCoupon_RevokesAfter24Hours_AndWritesTheNoDiscountTextWhenWithheld()
    {
        using var harness = new JourneyTestHarness(IncentivesSnippets.UnpaidOrderCoupon());
        var customer = new Recovery.Journeys.Customers.Customer("c1") { Email = "c1@example.com" };

        await harness.PublishAsync(new OrderUnpaid("order-1", customer, "Formation Excel", 149m));
        await harness.AdvanceAsync(2.Days());
        await harness.PublishAsync(new OrderUnpaid("order-2", customer, "Formation Excel", 149m));
        await harness.AdvanceAsync(2.Days());

        var bodies = harness.SentOf<Recovery.Journeys.Channels.EmailMessage>().Select(s => s.Message.TextBody!.Trim()).ToList();
        bodies[0].Should().StartWith("Code RELANCE20-").And.Contain("20").And.Contain("valable 24 heures").And.Contain("119,20").And.Contain("149,00");
        bodies[1].Should().Be("Votre commande Formation Excel vous attend.");
        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.Kind == Recovery.Journeys.Storage.JourneyRecordKind.CouponRevoked);
    }
}
