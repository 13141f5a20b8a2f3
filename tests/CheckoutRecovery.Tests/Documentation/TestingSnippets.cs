using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>The tests of docs/testing.md, compiled and run.</summary>
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

        harness.Sent.Select(s => (s.StepId, s.At - start)).Should().Equal(
            ("push-reminder", 5.Minutes()),
            ("email-reminder", 1.Hours()),
            ("push-extra-offer", 24.Hours()));
        harness.SentOf<PushMessage>()[0].Message.Body
            .Should().Be("Votre commande n'est pas payée. Il ne vous reste que 15 minutes pour profiter de la remise !");
        harness.SentOf<EmailMessage>().Single().Message.HtmlBody
            .Should().Contain("<img src=\"https://cdn.example.com/sneakers.jpg\" alt=\"Sneakers\">");
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

        harness.Sent.Select(s => s.StepId).Should().Equal("push-reminder");
        var timeline = await harness.TimelineAsync("order-1");
        timeline.Select(r => r.Kind).Should().Equal(JourneyRecordKind.Entered, JourneyRecordKind.Sent, JourneyRecordKind.Converted);
        timeline[^1].Should().BeEquivalentTo(new { StepId = "push-reminder", Value = 49.90m, Detail = "OrderPaid" });
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

        ran.Should().Equal(
            ("at-5-min", 5.Minutes(), start + 5.Minutes()),
            ("at-1-h", 1.Hours(), start + 1.Hours()),
            ("at-24-h", 24.Hours(), start + 24.Hours()));

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
        (await harness.Engine.GetNextWakeUpAsync()).Should().Be(harness.Clock.Now);
        await harness.Engine.PublishAsync(new OrderPaid("order-1", 49.90m));
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Should().BeEmpty();
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

        harness.Sent.Select(s => s.StepId).Should().Equal("email-reminder");
        var push = (await harness.TimelineAsync("order-1")).Where(r => r.StepId == "push-reminder").ToList();
        push.Select(r => r.Kind).Should().Equal(JourneyRecordKind.RetryScheduled, JourneyRecordKind.RetryScheduled, JourneyRecordKind.Failed);
        push[^1].Detail.Should().Be("attempt 3 of 3 failed: HttpRequestException: push provider unavailable");
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

        push.Sent.Select(s => s.At - FakeClock.DefaultStart).Should().Equal(5.Minutes(), 1.Hours(), 24.Hours());
    }
    // end-snippet
}
