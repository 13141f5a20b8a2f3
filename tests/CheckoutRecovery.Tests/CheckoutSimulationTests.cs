using System.Globalization;
using System.Net;
using CheckoutRecovery.Journeys;
using CheckoutRecovery.Simulation;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Reports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;

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
        story.Customer.Group.Should().Be(CheckoutRecoveryJourney.UrgentVariant);
        story.Messages.Select(m => (m.StepId, m.At - story.Customer.AbandonedAt)).Should().Equal(
            (CheckoutRecoveryJourney.FirstPushStep, 5.Minutes()),
            (CheckoutRecoveryJourney.EmailStep, 1.Hours()),
            (CheckoutRecoveryJourney.ExtraOfferPushStep, 24.Hours()));
        story.Timeline.Select(r => (r.Kind, r.StepId, r.Detail, r.At - story.Customer.AbandonedAt)).Should().Equal(
            (JourneyRecordKind.Entered, null, null, Duration.Zero),
            (JourneyRecordKind.Assigned, null, "journey", Duration.Zero),
            (JourneyRecordKind.Assigned, CheckoutRecoveryJourney.PushTextExperiment, CheckoutRecoveryJourney.UrgentVariant, 5.Minutes()),
            (JourneyRecordKind.Sent, CheckoutRecoveryJourney.FirstPushStep, null, 5.Minutes()),
            (JourneyRecordKind.Sent, CheckoutRecoveryJourney.EmailStep, null, 1.Hours()),
            (JourneyRecordKind.Sent, CheckoutRecoveryJourney.ExtraOfferPushStep, null, 24.Hours()),
            (JourneyRecordKind.Sent, CheckoutRecoveryJourney.ExpireExtraOfferStep, null, 24.Hours() + 30.Minutes()),

            // It listened for a payment for the 24-hour attribution window after its last step.
            (JourneyRecordKind.Completed, null, "completed", 48.Hours() + 30.Minutes()));
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
    public void PayingCustomer_ReceivesOnlyTheHelpfulFirstPush_AndTheConversionIsAttributedToIt()
    {
        var story = Report.PaidAfterFirstPush!;
        var paidAt = story.Customer.PaysAt!.Value;

        story.Messages.Select(m => m.StepId).Should().Equal(CheckoutRecoveryJourney.HelpfulPushStep);
        story.Messages.Should().OnlyContain(m => m.At < paidAt);
        story.Timeline.Select(r => r.Kind).Should().Equal(JourneyRecordKind.Entered, JourneyRecordKind.Assigned, JourneyRecordKind.Assigned, JourneyRecordKind.Sent, JourneyRecordKind.Converted);
        story.Timeline[^1].Should().BeEquivalentTo(new
        {
            At = paidAt,
            StepId = CheckoutRecoveryJourney.HelpfulPushStep,
            Channel = "push",
            Value = story.Customer.AmountPaid,
            Detail = "OrderPaid",
        });
        story.Instance.Status.Should().Be(JourneyStatus.Converted);
    }

    [Fact]
    public void HoldoutCustomer_IsSentNothing_EveryMessageStepSkippedForTheHoldout()
    {
        var story = Report.Holdout!;

        story.Customer.IsHoldout.Should().BeTrue();
        story.Messages.Should().BeEmpty();
        story.Timeline.Where(r => r.Kind == JourneyRecordKind.Skipped).Should().HaveCount(3).And.OnlyContain(r => r.Detail == "holdout");
        story.Instance.Variables.Should().Contain("holdout", "holdout");
        Report.Pushes.Concat<object>(Report.Emails).Should().NotBeEmpty();
        Report.Pushes.Select(p => p.Delivery.Recipient.Id).Concat(Report.Emails.Select(e => e.Delivery.Recipient.Id))
            .Intersect(Report.Population.Where(c => c.IsHoldout).Select(c => c.Abandoned.Customer.Id)).Should().BeEmpty("nobody in the holdout receives anything");
    }

    [Fact]
    public void NoCustomer_ReceivesAnythingAfterPaying()
    {
        var paidAt = Report.Population.Where(c => c.PaysAt is not null).ToDictionary(c => c.Abandoned.Customer.Id, c => c.PaysAt!.Value);
        var received = Report.Pushes.Select(p => (p.At, p.Delivery.Recipient.Id)).Concat(Report.Emails.Select(e => (e.At, e.Delivery.Recipient.Id)));

        received.Where(r => paidAt.TryGetValue(r.Id, out var at) && r.At > at).Should().BeEmpty();
    }

    [Fact]
    public void Report_EnteredAndConversions_MatchWhatThePopulationDid()
    {
        var report = Report.Report;
        var entered = Report.Population.Where(c => c.EntersJourney).ToList();
        var payers = entered.Where(c => c.Plan != PaymentPlan.Never).ToList();
        var treated = payers.Where(c => !c.IsHoldout).ToList();

        report.Entered.Should().Be(entered.Count);
        report.Converted.Should().Be(payers.Count);
        report.Revenue.Should().Be(payers.Sum(c => c.AmountPaid!.Value));

        // Paying before the first reminder, or in the holdout, follows no message: not attributed.
        (report.Converted - report.AttributedConversions).Should().Be(payers.Count(c => c.Plan is PaymentPlan.BeforeFirstReminder or PaymentPlan.OnTheirOwn));
        Converted(CheckoutRecoveryJourney.ExtraOfferPushStep).Should().Be(treated.Count(c => c.Plan == PaymentPlan.AfterExtraOffer));

        // Without an e-mail address the e-mail is skipped, so a payment after it counts for the first push (within 24 h of it).
        Converted(CheckoutRecoveryJourney.EmailStep).Should().Be(treated.Count(c => c.Plan == PaymentPlan.AfterEmail && c.Abandoned.Customer.Email is not null));
        foreach (var (variant, step) in new[] { (CheckoutRecoveryJourney.UrgentVariant, CheckoutRecoveryJourney.FirstPushStep), (CheckoutRecoveryJourney.HelpfulVariant, CheckoutRecoveryJourney.HelpfulPushStep) })
        {
            Converted(step).Should().Be(treated.Count(c => c.Group == variant &&
                (c.Plan == PaymentPlan.AfterFirstPush || (c.Plan == PaymentPlan.AfterEmail && c.Abandoned.Customer.Email is null))));
        }

        int Converted(string stepId) => report.Steps.Single(s => s.StepId == stepId).Converted;
    }

    [Fact]
    public void Report_PaidPerStep_SumsToTotalPaid_AndEveryInstanceEnded()
    {
        var report = Report.Report;

        report.Steps.Sum(s => s.Converted).Should().Be(report.AttributedConversions);
        report.Steps.Sum(s => s.Revenue).Should().Be(report.RecoveredRevenue);
        report.Steps.Select(s => s.StepId).Should().NotContain(CheckoutRecoveryJourney.ExpireExtraOfferStep, "a host action sends no message");
        (report.Converted + report.Completed).Should().Be(report.Entered);
        report.Exited.Should().Be(0);
        report.Active.Should().Be(0);
        report.ConversionRate.Should().BeApproximately((double)report.Converted / report.Entered, 1e-12);
        report.Steps.Sum(s => s.Failed).Should().Be(0);
    }

    [Fact]
    public void Report_SentPerStep_MatchesWhatTheChannelsReceived()
    {
        var report = Report.Report;
        var received = Report.Pushes.Select(p => p.Delivery.StepId).Concat(Report.Emails.Select(e => e.Delivery.StepId))
            .GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var stillUnpaidAfterOneHour = Report.Population.Where(c => c.EntersJourney && c.Plan is PaymentPlan.Never or PaymentPlan.AfterEmail or PaymentPlan.AfterExtraOffer).ToList();

        report.Steps.ToDictionary(s => s.StepId, s => s.Sent).Should().Equal(received);
        report.Steps.Single(s => s.StepId == CheckoutRecoveryJourney.EmailStep).Skipped
            .Should().Be(stillUnpaidAfterOneHour.Count(c => !c.IsHoldout && c.Abandoned.Customer.Email is null));
        report.Channels.Single(c => c.Channel == "push").Sent.Should().Be(Report.Pushes.Count);
        Report.Pushes.Select(p => p.Delivery.IdempotencyKey).Concat(Report.Emails.Select(e => e.Delivery.IdempotencyKey))
            .Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Report_EachStepSendsToThoseWhoHaveNotPaidYet_AndHoldsOutTheHoldout()
    {
        var entered = Report.Population.Where(c => c.EntersJourney).ToList();
        var report = Report.Report;
        var email = report.Steps.Single(s => s.StepId == CheckoutRecoveryJourney.EmailStep);

        Sent(CheckoutRecoveryJourney.FirstPushStep).Should().Be(entered.Count(c => c.Group == CheckoutRecoveryJourney.UrgentVariant && c.Plan != PaymentPlan.BeforeFirstReminder));
        Sent(CheckoutRecoveryJourney.HelpfulPushStep).Should().Be(entered.Count(c => c.Group == CheckoutRecoveryJourney.HelpfulVariant && c.Plan != PaymentPlan.BeforeFirstReminder));
        (email.Sent + email.Skipped).Should().Be(entered.Count(c => !c.IsHoldout && c.Plan is PaymentPlan.Never or PaymentPlan.AfterEmail or PaymentPlan.AfterExtraOffer));
        Sent(CheckoutRecoveryJourney.ExtraOfferPushStep).Should().Be(entered.Count(c => !c.IsHoldout && c.Plan is PaymentPlan.Never or PaymentPlan.AfterExtraOffer));
        report.Steps.Single(s => s.StepId == CheckoutRecoveryJourney.ExtraOfferPushStep).HeldOut.Should().Be(entered.Count(c => c.IsHoldout && c.Plan == PaymentPlan.Never));

        int Sent(string stepId) => report.Steps.Single(s => s.StepId == stepId).Sent;
    }

    [Fact]
    public void Report_AbTest_ComparesTheTwoFirstPushes_AndFindsTheHelpfulOneBetter()
    {
        var experiment = Report.Report.Experiments.Should().ContainSingle().Subject;
        var reached = Report.Population.Where(c => c.EntersJourney && !c.IsHoldout && c.Plan != PaymentPlan.BeforeFirstReminder).ToList();

        experiment.Name.Should().Be(CheckoutRecoveryJourney.PushTextExperiment);
        foreach (var variant in experiment.Variants)
        {
            var group = reached.Where(c => c.Group == variant.Name).ToList();
            (variant.Assigned, variant.Converted, variant.Revenue).Should().Be((group.Count, group.Count(c => c.Plan != PaymentPlan.Never), group.Sum(c => c.AmountPaid ?? 0m)));
        }

        var helpful = experiment.Variants.Single(v => v.Name == CheckoutRecoveryJourney.HelpfulVariant).VersusOthers!;
        helpful.Difference.Should().BePositive();
        helpful.IsSignificant.Should().BeTrue("the simulation makes 14 % pay after the helpful push against 9 % after the urgent one");
        (Report.Population.Count(c => c.Group == CheckoutRecoveryJourney.HelpfulVariant) / (double)Report.Population.Count(c => c.EntersJourney && !c.IsHoldout))
            .Should().BeApproximately(0.5, 0.05, "a 50/50 split");
    }

    [Fact]
    public void Report_Holdout_MeasuresTheJourneysOwnUplift()
    {
        var holdout = Report.Report.Holdout!;
        var entered = Report.Population.Where(c => c.EntersJourney).ToList();

        holdout.Percent.Should().Be(10);
        (holdout.Holdout.Entered, holdout.Holdout.Converted).Should().Be((entered.Count(c => c.IsHoldout), entered.Count(c => c.IsHoldout && c.Plan != PaymentPlan.Never)));
        (holdout.Journey.Entered, holdout.Journey.Converted).Should().Be((entered.Count(c => !c.IsHoldout), entered.Count(c => !c.IsHoldout && c.Plan != PaymentPlan.Never)));
        ((double)holdout.Holdout.Entered / entered.Count).Should().BeApproximately(0.10, 0.02);
        holdout.Uplift!.IsSignificant.Should().BeTrue();
        holdout.Uplift.Lower.Should().BePositive();
    }

    [Fact]
    public void Report_PrintsTheTimelinesTheFunnelTheAbTestAndTheHoldout()
    {
        using var output = new StringWriter();

        ReportWriter.Write(Report, output);

        var report = Report.Report;
        var text = output.ToString();
        text.Should().Contain("+00:05:00  push-reminder sent (push)")
            .And.Contain("+01:00:00  email-reminder sent (email)")
            .And.Contain("+24:00:00  push-extra-offer sent (push)")
            .And.Contain("+00:05:00  assigned to push-text: urgent")
            .And.MatchRegex(@"\+00:05:00  skipped push-reminder(-helpful)?: holdout");
        text.Should().Contain("Messages the channels received for this order: 3. Status: Completed.")
            .And.Contain("Messages the channels received for this order: 1; after the payment: 0. Status: Converted.")
            .And.Contain("Messages the channels received for this order: 0. Status: Completed.")
            .And.MatchRegex($@"entered the journey +{FrenchFormat.Count(report.Entered)}\r?\n")
            .And.Contain($"recovered revenue (paid within 24 h of a reminder): {FrenchFormat.Euros(report.RecoveredRevenue)}")
            .And.Contain("== 5. A/B test 'push-text'")
            .And.MatchRegex(@"helpful vs urgent: \+\d+\.\d pts \(95 % CI \+\d+\.\d pts to \+\d+\.\d pts\), p = 0\.\d{3}: significant \(two-proportion z-test\)")
            .And.MatchRegex(@"journey vs holdout: \+\d+\.\d pts \(95 % CI .*\), p < 0\.001: significant");
    }

    [Fact]
    public void CommittedPictures_AreWhatTheDefaultSimulationDraws()
    {
        // docs/images holds the default run's pictures for the README; run the sample to refresh them after a change.
        foreach (var (file, content) in ReportFiles.Render(Report.Report))
        {
            var committed = Path.Combine(Documentation.DocumentationSnippetsTests.RepoRoot, "docs", "images", file);
            File.ReadAllText(committed).ReplaceLineEndings("\n").Should().Be(content.ReplaceLineEndings("\n"), $"{file} is the default simulation's; run the sample to redraw it");
        }
    }
}
