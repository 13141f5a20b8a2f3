using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests;

public sealed class CheckoutRecoveryScenarioTests
{
    [Fact]
    public async Task UnpaidCheckout_SendsThreeRemindersAtTheirOwnTimes()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecovery());
        var start = harness.Clock.Now;

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Select(s => (s.StepId, s.At - start)).Should().Equal(
            ("push-reminder", 5.Minutes()),
            ("email-reminder", 1.Hours()),
            ("push-extra-offer", 24.Hours()));
        var push = harness.SentOf<PushMessage>()[0].Message;
        push.Body.Should().Be("Votre commande n'est pas payée. Il ne vous reste que 15 minutes pour profiter de la remise !");
        push.Title.Should().Be("⏳ Commande order-1");
        push.DeepLink.Should().Be("myshop://checkout/pay?order=order-1");
        var email = harness.SentOf<EmailMessage>()[0].Message;
        email.HtmlBody.Should().Contain("Bonjour Alice").And.Contain("<img src=\"https://cdn.example.com/sneakers.jpg\" alt=\"Sneakers\">");
        (await harness.TimelineAsync("order-1")).Select(r => r.Kind).Should().Equal(
            JourneyRecordKind.Entered, JourneyRecordKind.Sent, JourneyRecordKind.Sent, JourneyRecordKind.Sent, JourneyRecordKind.Completed);
    }

    [Fact]
    public async Task PaidAfterFirstPush_SendsNothingMoreAndRecordsTheConversion()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecovery());

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(10.Minutes());
        await harness.PublishAsync(new OrderPaid("order-1", 49.90m));
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Select(s => s.StepId).Should().Equal("push-reminder");
        var timeline = await harness.TimelineAsync("order-1");
        timeline[^1].Should().BeEquivalentTo(new { Kind = JourneyRecordKind.Converted, StepId = "push-reminder", Value = 49.90m, Detail = "OrderPaid" });
        (await harness.InstancesAsync("order-1")).Single().Status.Should().Be(JourneyStatus.Converted);
    }
}
