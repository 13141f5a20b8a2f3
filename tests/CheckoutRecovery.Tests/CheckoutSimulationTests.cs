using System.Globalization;
using System.Net;
using CheckoutRecovery.Journeys;
using CheckoutRecovery.Simulation;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Storage;

namespace CheckoutRecovery.Tests;

/// <summary>Runs the sample's default simulation (5,000 customers) once for every test of the class.</summary>
public sealed class DefaultSimulation : IAsyncLifetime
{
    public SimulationReport Report { get; private set; } = null!;

    public async Task InitializeAsync() => Report = await CheckoutSimulation.RunAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class CheckoutSimulationTests(DefaultSimulation simulation) : IClassFixture<DefaultSimulation>
{
    // The customers are fr-FR; the messages write money and figures with the culture's own spaces.
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    private SimulationReport Report => simulation.Report;

    private static string Euros(decimal amount) => amount.ToString("C", French);

    [Fact]
    public void UnpaidCustomer_ReceivesExactlyThreeMessages_AtFiveMinutesOneHourAndOneDay()
    {
        var story = Report.Unpaid!;

        story.Customer.Plan.Should().Be(PaymentPlan.Never);
        story.Messages.Select(m => (m.StepId, m.At - story.Customer.AbandonedAt)).Should().Equal(
            (CheckoutRecoveryJourney.FirstPushStep, 5.Minutes()),
            (CheckoutRecoveryJourney.EmailStep, 1.Hours()),
            (CheckoutRecoveryJourney.ExtraOfferPushStep, 24.Hours()));
        story.Timeline.Select(r => (r.Kind, r.StepId, r.At - story.Customer.AbandonedAt)).Should().Equal(
            (JourneyRecordKind.Entered, null, Duration.Zero),
            (JourneyRecordKind.Sent, CheckoutRecoveryJourney.FirstPushStep, 5.Minutes()),
            (JourneyRecordKind.Sent, CheckoutRecoveryJourney.EmailStep, 1.Hours()),
            (JourneyRecordKind.Sent, CheckoutRecoveryJourney.ExtraOfferPushStep, 24.Hours()),
            (JourneyRecordKind.Sent, CheckoutRecoveryJourney.ExpireExtraOfferStep, 24.Hours() + 30.Minutes()),
            (JourneyRecordKind.Completed, null, 24.Hours() + 30.Minutes()));
        story.Instance.Status.Should().Be(JourneyStatus.Completed);
    }

    [Fact]
    public void UnpaidCustomer_FirstPush_SaysFifteenMinutesLeft_WithOrderNumberDeepLinkAndIcon()
    {
        var orderId = Report.Unpaid!.Customer.Abandoned.OrderId;

        var push = (PushMessage)Report.Unpaid!.Messages[0].Message;

        push.Body.Should().Be("Votre commande n'est pas payée. Il ne vous reste que 15 minutes pour profiter de la remise !");
        push.Title.Should().Be($"Commande {orderId} en attente de paiement");
        push.Icon.Should().Be("⏳");
        push.DeepLink.Should().Be($"shopexample://checkout/pay?order={orderId}");
        push.Data.Should().Contain("orderId", orderId);
    }

    [Fact]
    public void UnpaidCustomer_Email_CarriesEverythingSeed000AsksFor()
    {
        var customer = Report.Unpaid!.Customer;
        var order = customer.Abandoned;
        var email = (EmailMessage)Report.Unpaid!.Messages[1].Message;

        // The countdown to the promotion's end, from the e-mail's send instant, in whole hours rounded down.
        var hoursLeft = (long)Math.Floor((order.PromotionEndsAt - (customer.AbandonedAt + 1.Hours())).TotalHours);
        var tracking = "&utm_source=recovery-journeys&utm_medium=email&utm_campaign=checkout-recovery&utm_content=email-reminder";

        email.Subject.Should().Be("Offre à durée limitée bientôt expirée ! Finalisez votre commande maintenant");
        foreach (var body in new[] { WebUtility.HtmlDecode(email.HtmlBody!), email.TextBody! })
        {
            body.Should().Contain($"Bonjour {order.Customer.Name},")
                .And.Contain($"n° {order.OrderId}")
                .And.Contain($"L'offre se termine dans {hoursLeft} heures.")
                .And.Contain("60 % de remise sur toute la commande")
                .And.Contain($"{Euros(order.Discount)} de moins")
                .And.Contain($"Vous payez {Euros(order.Total)} au lieu de {Euros(order.Subtotal)}")
                .And.Contain("Payer en 3 étapes")
                .And.Contain($"https://www.shop.example/checkout/pay?order={order.OrderId}{tracking}")
                .And.Contain($"https://m.shop.example/checkout/pay?order={order.OrderId}{tracking}")
                .And.Contain("01 23 45 67 89").And.Contain("aide@shop.example");
        }

        foreach (var item in order.Items)
        {
            email.HtmlBody.Should().Contain($"<img src=\"{item.ImageUrl}\" alt=\"{item.Name}\"");
            email.TextBody.Should().Contain($"{item.Name} : {Euros(item.Price)}");
        }

        hoursLeft.Should().BeInRange(2, 47, "a promotion ending within two days counts down in hours");
    }

    [Fact]
    public void UnpaidCustomer_LastPush_OffersTheExtraTenPercent_WithTheLiveNumberOfRecoveredOrders()
    {
        var pushAt = Report.Unpaid!.Messages[2].At;

        // An oracle independent of the engine: the customers in the journey who had paid before the push went out.
        var recoveredBefore = Report.Population.Count(c => c.EntersJourney && c.PaysAt < pushAt);
        var push = (PushMessage)Report.Unpaid!.Messages[2].Message;

        recoveredBefore.Should().BeGreaterThan(100);
        push.Body.Should().Be(
            "Payez dans les 30 minutes pour bénéficier de 10 % de remise SUPPLÉMENTAIRE ! " +
            $"{recoveredBefore.ToString("N0", French)} utilisateurs ont profité de cette offre.");
        push.DeepLink.Should().EndWith("&coupon=EXTRA10");
        push.Data.Should().Contain("color", "#D32F2F");
    }

    [Fact]
    public void SocialProof_IsLive_LaterPushesShowHigherFigures()
    {
        var figures = Report.Pushes
            .Where(p => p.Delivery.StepId == CheckoutRecoveryJourney.ExtraOfferPushStep)
            .Select(p => (p.At, Count: long.Parse(p.Delivery.Message.Body.Split('!')[1].Split(" utilisateurs")[0].Where(char.IsDigit).ToArray(), CultureInfo.InvariantCulture)))
            .ToList();

        figures.Select(f => f.Count).Should().BeInAscendingOrder();
        figures[^1].Count.Should().BeGreaterThan(figures[0].Count);
    }

    [Fact]
    public void PayingCustomer_ReceivesOnlyTheFirstPush_AndTheConversionIsAttributedToIt()
    {
        var story = Report.PaidAfterFirstPush!;
        var paidAt = story.Customer.PaysAt!.Value;

        story.Messages.Select(m => m.StepId).Should().Equal(CheckoutRecoveryJourney.FirstPushStep);
        story.Messages.Should().OnlyContain(m => m.At < paidAt);
        story.Timeline.Select(r => r.Kind).Should().Equal(JourneyRecordKind.Entered, JourneyRecordKind.Sent, JourneyRecordKind.Converted);
        story.Timeline[^1].Should().BeEquivalentTo(new
        {
            At = paidAt,
            StepId = CheckoutRecoveryJourney.FirstPushStep,
            Value = story.Customer.AmountPaid,
            Detail = "OrderPaid",
        });
        story.Instance.Status.Should().Be(JourneyStatus.Converted);
    }

    [Fact]
    public void NoCustomer_ReceivesAnythingAfterPaying()
    {
        var paidAt = Report.Population.Where(c => c.PaysAt is not null).ToDictionary(c => c.Abandoned.Customer.Id, c => c.PaysAt!.Value);
        var received = Report.Pushes.Select(p => (p.At, p.Delivery.Recipient.Id)).Concat(Report.Emails.Select(e => (e.At, e.Delivery.Recipient.Id)));

        received.Where(r => paidAt.TryGetValue(r.Id, out var at) && r.At > at).Should().BeEmpty();
    }

    [Fact]
    public void Funnel_EnteredAndConversions_MatchWhatThePopulationDid()
    {
        var funnel = Report.Funnel;
        var entered = Report.Population.Where(c => c.EntersJourney).ToList();
        var payers = entered.Where(c => c.Plan != PaymentPlan.Never).ToList();

        funnel.Entered.Should().Be(entered.Count);
        funnel.Converted.Should().Be(payers.Count);
        funnel.Revenue.Should().Be(payers.Sum(c => c.AmountPaid!.Value));
        funnel.ConvertedBeforeFirstStep.Should().Be(payers.Count(c => c.Plan == PaymentPlan.BeforeFirstReminder));
        Converted(CheckoutRecoveryJourney.ExtraOfferPushStep).Should().Be(payers.Count(c => c.Plan == PaymentPlan.AfterExtraOffer));

        // Without an e-mail address the e-mail is skipped, so a payment after it counts for the first push.
        Converted(CheckoutRecoveryJourney.EmailStep).Should().Be(payers.Count(c => c.Plan == PaymentPlan.AfterEmail && c.Abandoned.Customer.Email is not null));
        Converted(CheckoutRecoveryJourney.FirstPushStep).Should().Be(payers.Count(c =>
            c.Plan == PaymentPlan.AfterFirstPush || (c.Plan == PaymentPlan.AfterEmail && c.Abandoned.Customer.Email is null)));

        int Converted(string stepId) => funnel.Steps.Single(s => s.StepId == stepId).Converted;
    }

    [Fact]
    public void Funnel_PaidPerStep_SumsToTotalPaid_AndEveryInstanceEnded()
    {
        var funnel = Report.Funnel;

        (funnel.ConvertedBeforeFirstStep + funnel.Steps.Sum(s => s.Converted)).Should().Be(funnel.Converted);
        (funnel.RevenueBeforeFirstStep + funnel.Steps.Sum(s => s.Revenue)).Should().Be(funnel.Revenue);
        funnel.Steps.Single(s => s.Channel == "action").Converted.Should().Be(0, "a conversion is attributed to the last message sent");
        (funnel.Converted + funnel.Completed).Should().Be(funnel.Entered);
        funnel.Exited.Should().Be(0);
        funnel.Active.Should().Be(0);
        funnel.ConversionRate.Should().BeApproximately((double)funnel.Converted / funnel.Entered, 1e-12);
        funnel.Steps.Sum(s => s.Failed).Should().Be(0);
    }

    [Fact]
    public void Funnel_SentPerStep_MatchesWhatTheChannelsReceived()
    {
        var funnel = Report.Funnel;
        var received = Report.Pushes.Select(p => p.Delivery.StepId).Concat(Report.Emails.Select(e => e.Delivery.StepId))
            .GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());

        funnel.Steps.Where(s => s.Channel != "action").ToDictionary(s => s.StepId, s => s.Sent).Should().Equal(received);
        funnel.Steps.Single(s => s.StepId == CheckoutRecoveryJourney.EmailStep).Skipped
            .Should().Be(Report.Population.Count(c => c.EntersJourney && c.Abandoned.Customer.Email is null && c.Plan is PaymentPlan.Never or PaymentPlan.AfterEmail or PaymentPlan.AfterExtraOffer));
        Report.Pushes.Select(p => p.Delivery.IdempotencyKey).Concat(Report.Emails.Select(e => e.Delivery.IdempotencyKey))
            .Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Funnel_EachStepSendsToThoseWhoHaveNotPaidYet()
    {
        var entered = Report.Population.Where(c => c.EntersJourney).ToList();
        var funnel = Report.Funnel;

        Sent(CheckoutRecoveryJourney.FirstPushStep).Should().Be(entered.Count(c => c.Plan != PaymentPlan.BeforeFirstReminder));
        (Sent(CheckoutRecoveryJourney.EmailStep) + funnel.Steps.Single(s => s.StepId == CheckoutRecoveryJourney.EmailStep).Skipped)
            .Should().Be(entered.Count(c => c.Plan is PaymentPlan.Never or PaymentPlan.AfterEmail or PaymentPlan.AfterExtraOffer));
        Sent(CheckoutRecoveryJourney.ExtraOfferPushStep).Should().Be(entered.Count(c => c.Plan is PaymentPlan.Never or PaymentPlan.AfterExtraOffer));
        Sent(CheckoutRecoveryJourney.ExpireExtraOfferStep).Should().Be(entered.Count(c => c.Plan == PaymentPlan.Never));

        int Sent(string stepId) => funnel.Steps.Single(s => s.StepId == stepId).Sent;
    }

    [Fact]
    public void Report_PrintsBothTimelinesAndTheFunnel()
    {
        using var output = new StringWriter();

        ReportWriter.Write(Report, output);

        var text = output.ToString();
        text.Should().Contain("+00:05:00  push-reminder sent (push)")
            .And.Contain("+01:00:00  email-reminder sent (email)")
            .And.Contain("+24:00:00  push-extra-offer sent (push)")
            .And.Contain("Messages the channels received for this order: 3. Status: Completed.")
            .And.Contain("Messages the channels received for this order: 1; after the payment: 0. Status: Converted.")
            .And.MatchRegex($@"entered the journey +{FrenchFormat.Count(Report.Funnel.Entered)}\r?\n")
            .And.Contain($"recovered revenue (paid after a reminder): {FrenchFormat.Euros(Report.Funnel.RecoveredRevenue)}");
    }
}
