using System.Net;
using CheckoutRecovery.Journeys;
using CheckoutRecovery.Shop;
using CheckoutRecovery.Simulation;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Tests;

public sealed class CheckoutRecoveryJourneyTests
{
    // Alice gets the helpful first push, Bob the urgent one; neither is in the holdout (their ids decide, see below).
    private static readonly Customer Alice = new("client-alice") { Name = "Alice Martin", Email = "alice@mail.example", PushToken = "app-token-alice" };

    private static readonly Customer Bob = new("client-bob") { Name = "Bob Durand", Email = "bob@mail.example", PushToken = "app-token-bob" };

    [Fact]
    public void Customers_OfTheseTests_AreInTheGroupsTheTestsExpect()
    {
        var journey = CheckoutRecoveryJourney.Build(new OfferDesk());

        (journey.IsInHoldout(Alice.Id), journey.VariantOf("push-text", Alice.Id)).Should().Be((false, "helpful"));
        (journey.IsInHoldout(Bob.Id), journey.VariantOf("push-text", Bob.Id)).Should().Be((false, "urgent"));
    }

    [Fact]
    public void Build_DescribesThreeRemindersAfterTheAbandonment_AndTheOfferExpiry()
    {
        var journey = CheckoutRecoveryJourney.Build(new OfferDesk());

        journey.Name.Should().Be("checkout-recovery");
        journey.EntryFilter.Should().Be("e => e.SecondsOnPaymentPage > 30");
        journey.Steps.Select(s => (s.Id, s.Channel, s.Timing)).Should().Equal(
            ("push-text", "experiment", new StepTiming(StepTimingAnchor.JourneyStart, 5.Minutes())),
            ("push-reminder", "push", StepTiming.Immediately),
            ("push-reminder-helpful", "push", StepTiming.Immediately),
            ("email-reminder", "email", new StepTiming(StepTimingAnchor.JourneyStart, 1.Hours())),
            ("push-extra-offer", "push", new StepTiming(StepTimingAnchor.JourneyStart, 24.Hours())),
            ("expire-extra-offer", "action", new StepTiming(StepTimingAnchor.JourneyStart, 24.Hours() + 30.Minutes())));
        journey.Exits.Should().ContainSingle().Which.Should().BeEquivalentTo(new { EventType = typeof(OrderPaid), IsConversion = true });
        journey.Experiments.Should().ContainSingle().Which.ToString().Should().Be("push-text (urgent 50%, helpful 50%)");
        (journey.HoldoutPercent, journey.AttributionWindow).Should().Be((10, 24.Hours()));
        journey.ComputedValues.Should().Equal("discountEndsAt", "extraOfferEndsAt", "recoveredOrders", "desktopPaymentUrl", "mobilePaymentUrl");
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
        (await harness.InstancesAsync("CMD-1")).Single().Status.Should().Be(JourneyStatus.Active, "it listens for a payment for 24 hours more");
        await harness.AdvanceAsync(24.Hours());
        (await harness.InstancesAsync("CMD-1")).Single().Status.Should().Be(JourneyStatus.Completed);
        harness.Sent.Should().HaveCount(3, "nothing is sent while it listens");
    }

    [Fact]
    public async Task PaymentAFewHoursAfterTheLastPush_StillConverts_AttributedToIt()
    {
        using var harness = new JourneyTestHarness(CheckoutRecoveryJourney.Build(new OfferDesk()));
        await harness.PublishAsync(Abandoned(harness.Clock.Now));

        await harness.AdvanceAsync(30.Hours());
        var paid = await harness.PublishAsync(new OrderPaid("CMD-1", 148.90m));

        paid.Ended.Should().ContainSingle();
        (await harness.TimelineAsync("CMD-1"))[^1].Should().BeEquivalentTo(new { Kind = JourneyRecordKind.Converted, StepId = "push-extra-offer", Channel = "push", Value = 148.90m });
    }

    [Fact]
    public async Task HoldoutCustomer_EntersButIsSentNothing()
    {
        var offers = new OfferDesk();
        var journey = CheckoutRecoveryJourney.Build(offers);
        var held = Enumerable.Range(1, 100).Select(i => $"client-{i:00000}").First(journey.IsInHoldout);
        using var harness = new JourneyTestHarness(journey);

        await harness.PublishAsync(Abandoned(harness.Clock.Now, customer: Alice with { Id = held }));
        await harness.AdvanceAsync(3.Days());

        harness.Sent.Should().BeEmpty();
        offers.ExpiredExtraOffers.Should().Be(0, "the holdout was never offered EXTRA10");
        (await harness.TimelineAsync("CMD-1")).Where(r => r.Kind == JourneyRecordKind.Skipped).Select(r => (r.StepId, r.Detail)).Should().HaveCount(3)
            .And.OnlyContain(s => s.Detail == "holdout");
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
        // The first push at +7 min instead of +5 min, with the price still held 20 minutes.
        var timings = CheckoutRecoveryTimings.Production with { FirstPush = 7.Minutes() };
        using var harness = new JourneyTestHarness(CheckoutRecoveryJourney.Build(new OfferDesk(), timings));

        await harness.PublishAsync(Abandoned(harness.Clock.Now, customer: Bob));
        await harness.AdvanceAsync(10.Minutes());

        harness.SentOf<PushMessage>().Single().Message.Body
            .Should().Be("Votre commande n'est pas payée. Il ne vous reste que 13 minutes pour profiter de la remise !");
    }

    [Fact]
    public async Task FirstPush_SentLate_RoundsTheTimeLeftDown()
    {
        using var harness = new JourneyTestHarness(CheckoutRecoveryJourney.Build(new OfferDesk()));
        await harness.PublishAsync(Abandoned(harness.Clock.Now, customer: Bob));

        // Due at +5 min, run at +5 min 30 s: 14 min 30 s are left, and {{timeLeft}} never promises more than there is.
        harness.Clock.Advance(5.Minutes() + 30.Seconds());
        await harness.Clock.RunDueAsync();

        harness.SentOf<PushMessage>().Single().Message.Body
            .Should().Be("Votre commande n'est pas payée. Il ne vous reste que 14 minutes pour profiter de la remise !");
    }

    [Fact]
    public async Task FirstPush_HelpfulVariant_OffersHelp()
    {
        using var harness = new JourneyTestHarness(CheckoutRecoveryJourney.Build(new OfferDesk()));

        await harness.PublishAsync(Abandoned(harness.Clock.Now));
        await harness.AdvanceAsync(10.Minutes());

        var push = harness.SentOf<PushMessage>().Single();
        push.StepId.Should().Be("push-reminder-helpful");
        push.Message.Title.Should().Be("Un souci avec le paiement de la commande CMD-1 ?");
        push.Message.Body.Should().Be("Votre panier vous attend et la remise est gardée encore 15 minutes. Touchez ici pour payer en un clic, ou pour nous écrire.");
    }

    [Fact]
    public async Task Email_TextBody_WritesMoneyCountdownAndTrackedLinksInFrench()
    {
        using var harness = new JourneyTestHarness(CheckoutRecoveryJourney.Build(new OfferDesk()));

        // Alice has no culture or time zone of her own: the journey's fr-FR and Europe/Paris apply.
        await harness.PublishAsync(Abandoned(harness.Clock.Now));
        await harness.AdvanceAsync(1.Hours());

        var lines = WithPlainSpaces(harness.SentOf<EmailMessage>().Single().Message.TextBody!).Split('\n');
        lines.Should().Contain(
        [
            "  - Baskets en cuir blanc : 89,90 € (photo : https://cdn.shop.example/img/baskets.jpg)",
            "  - Sac à dos urbain : 59,00 € (photo : https://cdn.shop.example/img/sac.jpg)",
            "⏳ L'offre se termine dans 29 heures.",
            "  - 60 % de remise sur toute la commande : 89,34 € de moins.",
            "  - Vous payez 59,56 € au lieu de 148,90 €.",
            "Payer sur ordinateur : https://www.shop.example/checkout/pay?order=CMD-1&utm_source=recovery-journeys&utm_medium=email&utm_campaign=checkout-recovery&utm_content=email-reminder",
            "Payer sur mobile : https://m.shop.example/checkout/pay?order=CMD-1&utm_source=recovery-journeys&utm_medium=email&utm_campaign=checkout-recovery&utm_content=email-reminder",
        ]);
    }

    [Fact]
    public async Task Email_HtmlBody_TrackedLinksAreEscapedForTheAttribute_AndDecodeToTheTrackedUrl()
    {
        using var harness = new JourneyTestHarness(CheckoutRecoveryJourney.Build(new OfferDesk()));

        await harness.PublishAsync(Abandoned(harness.Clock.Now));
        await harness.AdvanceAsync(1.Hours());

        var html = harness.SentOf<EmailMessage>().Single().Message.HtmlBody!;
        html.Should().Contain("<a href=\"https://www.shop.example/checkout/pay?order&#x3D;CMD-1&amp;utm_source&#x3D;recovery-journeys&amp;");
        WebUtility.HtmlDecode(html).Should()
            .Contain("<a href=\"https://www.shop.example/checkout/pay?order=CMD-1&utm_source=recovery-journeys&utm_medium=email&utm_campaign=checkout-recovery&utm_content=email-reminder\">Payer sur ordinateur</a>")
            .And.Contain("<a href=\"https://m.shop.example/checkout/pay?order=CMD-1&utm_source=recovery-journeys&utm_medium=email&utm_campaign=checkout-recovery&utm_content=email-reminder\">Payer sur mobile</a>");
    }

    [Fact]
    public async Task LastPush_WritesTheSocialProofFigureWithGroupedDigits()
    {
        var offers = new OfferDesk();
        for (var i = 0; i < 1234; i++)
        {
            offers.RecordRecoveredOrder();
        }

        using var harness = new JourneyTestHarness(CheckoutRecoveryJourney.Build(offers));
        await harness.PublishAsync(Abandoned(harness.Clock.Now));
        await harness.AdvanceAsync(24.Hours());

        var body = harness.SentOf<PushMessage>()[^1].Message.Body;
        WithPlainSpaces(body).Should().Be("Payez dans les 30 minutes pour bénéficier de 10 % de remise SUPPLÉMENTAIRE ! 1 234 utilisateurs ont profité de cette offre.");
        body.Should().Contain("1\u202F234", "fr-FR groups digits with a narrow no-break space, which keeps the figure on one line");
    }

    [Fact]
    public void EurosAndCount_GroupDigitsWithASpace() =>
        (FrenchFormat.Euros(1234.5m), FrenchFormat.Count(1234)).Should().Be(("1 234,50 €", "1 234"));

    // Culture data writes some spaces as no-break spaces (U+00A0, U+202F), which vary between ICU versions.
    private static string WithPlainSpaces(string text) => text.Replace('\u00A0', ' ').Replace('\u202F', ' ');

    private static CheckoutAbandoned Abandoned(Instant now, int seconds = 45, Customer? customer = null) => new(
        "CMD-1",
        customer ?? Alice,
        [new CartItem("Baskets en cuir blanc", 89.90m, "https://cdn.shop.example/img/baskets.jpg"), new CartItem("Sac à dos urbain", 59.00m, "https://cdn.shop.example/img/sac.jpg")],
        60,
        now + 30.Hours(),
        seconds);
}
