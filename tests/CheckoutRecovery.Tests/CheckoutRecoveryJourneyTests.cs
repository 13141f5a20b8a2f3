using CheckoutRecovery.Journeys;
using CheckoutRecovery.Shop;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;

namespace CheckoutRecovery.Tests;

public sealed class CheckoutRecoveryJourneyTests
{
    private static readonly Customer Alice = new("client-alice") { Name = "Alice Martin", Email = "alice@mail.example", PushToken = "app-token-alice" };

    [Fact]
    public void Build_DescribesThreeRemindersAfterTheAbandonment_AndTheOfferExpiry()
    {
        var journey = CheckoutRecoveryJourney.Build(new OfferDesk());

        journey.Name.Should().Be("checkout-recovery");
        journey.EntryFilter.Should().Be("e => e.SecondsOnPaymentPage > 30");
        journey.Steps.Select(s => (s.Id, s.Channel, s.Timing)).Should().Equal(
            ("push-reminder", "push", new StepTiming(StepTimingAnchor.JourneyStart, 5.Minutes())),
            ("email-reminder", "email", new StepTiming(StepTimingAnchor.JourneyStart, 1.Hours())),
            ("push-extra-offer", "push", new StepTiming(StepTimingAnchor.JourneyStart, 24.Hours())),
            ("expire-extra-offer", "action", new StepTiming(StepTimingAnchor.JourneyStart, 24.Hours() + 30.Minutes())));
        journey.Exits.Should().ContainSingle().Which.Should().BeEquivalentTo(new { EventType = typeof(OrderPaid), IsConversion = true });
        journey.ComputedValues.Should().Equal("discountTimeLeft", "promotionTimeLeft", "extraOfferTimeLeft", "recoveredOrders");
    }

    [Theory]
    [InlineData(30, false)]
    [InlineData(31, true)]
    public async Task PublishAsync_SecondsOnPaymentPage_EntersOnlyAfterMoreThanThirtySeconds(int seconds, bool enters)
    {
        using var harness = new JourneyTestHarness(CheckoutRecoveryJourney.Build(new OfferDesk()));

        var result = await harness.PublishAsync(Abandoned(harness.Clock.Now, seconds: seconds));
        await harness.AdvanceAsync(2.Days());

        result.Started.Should().HaveCount(enters ? 1 : 0);
        harness.Sent.Should().HaveCount(enters ? 3 : 0);
    }

    [Fact]
    public async Task PaymentWithinTheExtraOffer_IsAConversionOfTheLastPush_AndTheCouponIsNotExpired()
    {
        var offers = new OfferDesk();
        using var harness = new JourneyTestHarness(CheckoutRecoveryJourney.Build(offers));
        await harness.PublishAsync(Abandoned(harness.Clock.Now));

        await harness.AdvanceAsync(24.Hours() + 29.Minutes());
        await harness.PublishAsync(new OrderPaid("CMD-1", 80.91m));
        await harness.AdvanceAsync(2.Days());

        var timeline = await harness.TimelineAsync("CMD-1");
        timeline[^1].Should().BeEquivalentTo(new { Kind = JourneyRecordKind.Converted, StepId = "push-extra-offer", Value = 80.91m });
        offers.IsExtraOfferExpired("CMD-1").Should().BeFalse();
    }

    [Fact]
    public async Task NoPayment_ExpiresTheExtraOfferThirtyMinutesAfterTheLastPush()
    {
        var offers = new OfferDesk();
        using var harness = new JourneyTestHarness(CheckoutRecoveryJourney.Build(offers));
        await harness.PublishAsync(Abandoned(harness.Clock.Now));

        await harness.AdvanceAsync(24.Hours() + 29.Minutes());
        offers.IsExtraOfferExpired("CMD-1").Should().BeFalse();
        await harness.AdvanceAsync(1.Minutes());

        offers.IsExtraOfferExpired("CMD-1").Should().BeTrue();
        (await harness.InstancesAsync("CMD-1")).Single().Status.Should().Be(JourneyStatus.Completed);
    }

    [Fact]
    public async Task Email_HtmlBodyEscapesTheCustomersName_TextBodyDoesNot()
    {
        using var harness = new JourneyTestHarness(CheckoutRecoveryJourney.Build(new OfferDesk()));
        var customer = Alice with { Name = "<b>Ève</b> & co" };

        await harness.PublishAsync(Abandoned(harness.Clock.Now, customer: customer));
        await harness.AdvanceAsync(1.Hours());

        var email = harness.SentOf<EmailMessage>().Single().Message;
        email.HtmlBody.Should().Contain("Bonjour &lt;b&gt;Ève&lt;/b&gt; &amp; co,");
        email.TextBody.Should().Contain("Bonjour <b>Ève</b> & co,");
    }

    [Fact]
    public async Task FirstPush_TimeLeft_IsComputedFromTheClock_WhenTheStepRuns()
    {
        // Demo timings: the first push at +5 s, with the price held 20 s.
        using var harness = new JourneyTestHarness(CheckoutRecoveryJourney.Build(new OfferDesk(), CheckoutRecoveryTimings.Demo));

        await harness.PublishAsync(Abandoned(harness.Clock.Now));
        await harness.AdvanceAsync(5.Seconds());

        harness.SentOf<PushMessage>().Single().Message.Body
            .Should().Be("Votre commande n'est pas payée. Il ne vous reste que 15 secondes pour profiter de la remise !");
    }

    [Theory]
    [InlineData(15 * 60, "15 minutes")]
    [InlineData((15 * 60) - 0.03, "15 minutes")]
    [InlineData((14 * 60) + 59, "14 minutes")]
    [InlineData((23 * 3600) + (5 * 60), "23 h 05 min")]
    [InlineData(60, "1 minute")]
    [InlineData(40, "40 secondes")]
    [InlineData(0, "0 minute")]
    [InlineData(-5, "0 minute")]
    public void TimeLeft_WritesWholeUnitsInFrench(double seconds, string expected) =>
        FrenchFormat.TimeLeft(Duration.FromSeconds(seconds)).Should().Be(expected);

    [Fact]
    public void EurosAndCount_GroupDigitsWithASpace() =>
        (FrenchFormat.Euros(1234.5m), FrenchFormat.Count(1234)).Should().Be(("1 234,50 €", "1 234"));

    private static CheckoutAbandoned Abandoned(Instant now, int seconds = 45, Customer? customer = null) => new(
        "CMD-1",
        customer ?? Alice,
        [new CartItem("Baskets en cuir blanc", 89.90m, "https://cdn.shop.example/img/baskets.jpg"), new CartItem("Sac à dos urbain", 59.00m, "https://cdn.shop.example/img/sac.jpg")],
        60,
        now + 30.Hours(),
        seconds);
}
