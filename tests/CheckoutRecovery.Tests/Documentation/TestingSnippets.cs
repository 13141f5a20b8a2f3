// begin-snippet: testing-usings
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;
using Xunit;
// end-snippet
using Assert = Xunit.Assert;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>
/// The tests of docs/testing.md, compiled and run. They use xunit's <c>Assert</c> and the harness's own expectations,
/// not FluentAssertions, so that a reader can copy them into any xunit project.
/// </summary>
public sealed class TestingSnippets
{
    // begin-snippet: testing-abandoned
    private static CheckoutAbandoned Abandoned(string orderId, int seconds = 45) => new(
        orderId,
        new Customer("cust-alice") { Name = "Alice", Email = "alice@example.com", PushToken = "token-alice" },
        [new CartItem("Sneakers", 49.90m, "https://cdn.example.com/sneakers.jpg")],
        49.90m,
        seconds);
    // end-snippet

    // ## A first test
    // begin-snippet: testing-first-test
    [Fact]
    public async Task UnpaidCheckout_GetsThreeRemindersAtTheirOwnTimes()
    {
        using var harness = new JourneyTestHarness(GettingStartedSnippets.CheckoutRecovery());
        var start = harness.Clock.Now;

        await harness.PublishAsync(Abandoned("order-1"));
        await harness.AdvanceAsync(2.Days());

        Assert.Equal(
            [("push-reminder", 5.Minutes()), ("email-reminder", 1.Hours()), ("push-extra-offer", 24.Hours())],
            harness.Sent.Select(s => (s.StepId, s.At - start)));
        Assert.Equal(
            "Votre commande n'est pas payée. Il ne vous reste que 15 minutes pour profiter de la remise !",
            harness.SentOf<PushMessage>()[0].Message.Body);
        Assert.Contains(
            "<img src=\"https://cdn.example.com/sneakers.jpg\" alt=\"Sneakers\">",
            Assert.Single(harness.SentOf<EmailMessage>()).Message.HtmlBody);
    }
    // end-snippet

    // begin-snippet: testing-paid-after-first-push
    [Fact]
    public async Task PaidAfterTheFirstPush_NothingMoreIsSent()
    {
        using var harness = new JourneyTestHarness(GettingStartedSnippets.CheckoutRecovery());

        await harness.PublishAsync(Abandoned("order-1"));
        await harness.AdvanceAsync(10.Minutes());
        await harness.PublishAsync(new OrderPaid("order-1", 49.90m));
        await harness.AdvanceAsync(2.Days());

        Assert.Equal(["push-reminder"], harness.Sent.Select(s => s.StepId));
        var timeline = await harness.TimelineAsync("order-1");
        Assert.Equal([JourneyRecordKind.Entered, JourneyRecordKind.Sent, JourneyRecordKind.Converted], timeline.Select(r => r.Kind));
        Assert.Equal(("push-reminder", 49.90m, "OrderPaid"), (timeline[^1].StepId, timeline[^1].Value, timeline[^1].Detail));
    }
    // end-snippet

    // ## When a test fails, the harness says why
    // begin-snippet: testing-expect-sent
    [Fact]
    public async Task TheExtraOfferPush_IsNotSentToACustomerWhoPaid()
    {
        using var harness = new JourneyTestHarness(GettingStartedSnippets.CheckoutRecovery());

        await harness.PublishAsync(Abandoned("order-1"));
        await harness.AdvanceAsync(TimeSpan.FromHours(2));
        await harness.PublishAsync(new OrderPaid("order-1", 49.90m));
        await harness.AdvanceAsync(TimeSpan.FromDays(2));

        var email = await harness.ExpectSentAsync("order-1", "email-reminder");
        Assert.Equal("alice@example.com", email.Recipient.Email);
        await harness.ExpectNotSentAsync("order-1", "push-extra-offer");
    }
    // end-snippet

    // begin-snippet: testing-expect-sent-failure
    [Fact]
    public async Task ExpectSent_ForAStepTheOrderNeverReached_SaysTheInstanceEndedBeforeIt()
    {
        using var harness = new JourneyTestHarness(GettingStartedSnippets.CheckoutRecovery());
        await harness.PublishAsync(Abandoned("order-1"));
        await harness.AdvanceAsync(TimeSpan.FromMinutes(10));
        await harness.PublishAsync(new OrderPaid("order-1", 49.90m));

        var failure = await Assert.ThrowsAsync<JourneyExpectationException>(() => harness.ExpectSentAsync("order-1", "email-reminder"));

        Assert.StartsWith(
            "Expected step 'email-reminder' to send a message for 'order-1', but the instance ended before it: Converted at 2026-01-05T09:10:00Z",
            failure.Message);
        Assert.Contains("+0:00:05:00  Sent push-reminder (push)", failure.Message);
    }
    // end-snippet

    // ## Each step runs at its own instant
    // begin-snippet: testing-each-step-at-its-instant
    [Fact]
    public async Task AdvancingADay_RunsEachStepAtItsDueInstant_WithTheClockReadingIt()
    {
        var ran = new List<(string Step, Duration ContextElapsed, Instant ClockNow)>();
        FakeClock? clock = null;
        var journey = Journey.When<CheckoutAbandoned>()
            .Named("clock-reading")
            .CorrelateBy(e => e.OrderId)
            .AfterStart(5.Minutes()).Do("at-5-min", Record)
            .Then().AfterStart(1.Hours()).Do("at-1-h", Record)
            .Then().AfterStart(24.Hours()).Do("at-24-h", Record)
            .Build();
        using var harness = new JourneyTestHarness(journey);
        clock = harness.Clock;
        var start = harness.Clock.Now;

        await harness.PublishAsync(Abandoned("order-1"));
        await harness.AdvanceAsync(24.Hours());

        Assert.Equal(
            [("at-5-min", 5.Minutes(), start + 5.Minutes()), ("at-1-h", 1.Hours(), start + 1.Hours()), ("at-24-h", 24.Hours(), start + 24.Hours())],
            ran);

        ValueTask Record(StepContext<CheckoutAbandoned> context, CancellationToken cancellationToken)
        {
            ran.Add((context.StepId, context.Elapsed, clock!.Now));
            return ValueTask.CompletedTask;
        }
    }
    // end-snippet

    // ## Put an event between "due" and "run"
    // begin-snippet: testing-due-then-paid
    [Fact]
    public async Task PaidAfterTheStepBecameDue_ButBeforeItRan_NothingIsSent()
    {
        using var harness = new JourneyTestHarness(GettingStartedSnippets.CheckoutRecovery());
        await harness.PublishAsync(Abandoned("order-1"));

        harness.Clock.Advance(5.Minutes()); // the first push is due now, and has not run
        Assert.Equal(harness.Clock.Now, await harness.Engine.GetNextWakeUpAsync());
        await harness.Engine.PublishAsync(new OrderPaid("order-1", 49.90m));
        await harness.AdvanceAsync(2.Days());

        Assert.Empty(harness.Sent);
    }
    // end-snippet

    // ## Channels of your own
    // begin-snippet: testing-failing-channel
    [Fact]
    public async Task PushProviderDown_IsRetried_ThenRecordedAsFailed_AndTheEmailStillGoesOut()
    {
        using var harness = new JourneyTestHarness([GettingStartedSnippets.CheckoutRecovery()], new JourneyTestHarnessOptions
        {
            ConfigureChannels = channels => channels.Use(new FailingPushChannel()),
        });

        await harness.PublishAsync(Abandoned("order-1"));
        await harness.AdvanceAsync(2.Hours());

        Assert.Equal(["email-reminder"], harness.Sent.Select(s => s.StepId));
        var push = (await harness.TimelineAsync("order-1")).Where(r => r.StepId == "push-reminder").ToList();
        Assert.Equal([JourneyRecordKind.RetryScheduled, JourneyRecordKind.RetryScheduled, JourneyRecordKind.Failed], push.Select(r => r.Kind));
        Assert.Equal("attempt 3 of 3 failed: HttpRequestException: push provider unavailable", push[^1].Detail);
    }

    private sealed class FailingPushChannel : IChannel<PushMessage>
    {
        public ValueTask<DeliveryReceipt> SendAsync(Delivery<PushMessage> delivery, CancellationToken cancellationToken) =>
            throw new HttpRequestException("push provider unavailable");
    }
    // end-snippet

    // ## Without the harness
    // begin-snippet: testing-own-registration
    [Fact]
    public async Task TheAppsOwnRegistration_RunsOnTheFakeClock()
    {
        var clock = new FakeClock();
        var push = new RecordingChannels(clock);
        using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddRecoveryJourneys(journeys => journeys
                .AddJourney(GettingStartedSnippets.CheckoutRecovery())
                .AddChannel(push.Resolve<PushMessage>())
                .AddChannel(push.Resolve<EmailMessage>())
                .ConfigureEngine(engine => engine.MaxConcurrentSteps = 1))
            .BuildServiceProvider();
        var engine = provider.GetRequiredService<JourneyEngine>();
        using var drive = clock.Drive(engine);

        await engine.PublishAsync(Abandoned("order-1"));
        await clock.AdvanceAsync(2.Days());

        Assert.Equal([5.Minutes(), 1.Hours(), 24.Hours()], push.Sent.Select(s => s.At - FakeClock.DefaultStart));
    }
    // end-snippet
}
