using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests;

public sealed class EngineTests
{
    private static JourneyBuilder<CheckoutAbandoned> Checkout(string name = "checkout-recovery") =>
        Journey.When<CheckoutAbandoned>().Named(name).CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer).ExitWhen<OrderPaid>(e => e.OrderId);

    private static JourneyDefinition TwoPushes(ReentryPolicy reentry = ReentryPolicy.Ignore) => Checkout()
        .OnReentry(reentry)
        .AfterStart(5.Minutes()).Push("first", p => p.Body("first"))
        .Then().AfterStart(1.Hours()).Push("second", p => p.Body("second"))
        .Build();

    [Fact]
    public async Task Exit_BeforeTheFirstStepRan_PreventsEverySend()
    {
        using var harness = new JourneyTestHarness(TwoPushes());

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Minutes());
        var paid = await harness.PublishAsync(new OrderPaid("order-1", 10m));
        await harness.AdvanceAsync(2.Days());

        paid.Ended.Should().ContainSingle();
        harness.Sent.Should().BeEmpty();
        var timeline = await harness.TimelineAsync("order-1");
        timeline.Select(r => r.Kind).Should().Equal(JourneyRecordKind.Entered, JourneyRecordKind.Converted);
        timeline[^1].StepId.Should().BeNull("nothing was sent before the conversion");
    }

    [Fact]
    public async Task Exit_AfterTheStepBecameDueButBeforeItRan_PreventsTheSend()
    {
        using var harness = new JourneyTestHarness(TwoPushes());
        await harness.PublishAsync(Shop.Abandoned());

        harness.Clock.Advance(5.Minutes());
        (await harness.Engine.GetNextWakeUpAsync()).Should().Be(harness.Clock.Now, "the first step is due now and has not run");
        await harness.Engine.PublishAsync(new OrderPaid("order-1", 10m));
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Should().BeEmpty();
    }

    [Fact]
    public async Task Exit_WhileAStepIsSending_IsAppliedAfterTheSendIsRecorded()
    {
        var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowPush = new ScriptedChannel<PushMessage>(async (_, _) =>
        {
            sending.SetResult();
            await release.Task;
            return DeliveryReceipt.Sent();
        });
        using var harness = new JourneyTestHarness([TwoPushes()], new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(slowPush) });
        await harness.PublishAsync(Shop.Abandoned());

        var advancing = harness.AdvanceAsync(10.Minutes());
        await sending.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var paying = harness.Engine.PublishAsync(new OrderPaid("order-1", 10m)).AsTask();
        var waitedForTheClaim = !paying.IsCompleted;
        release.SetResult();
        await advancing.WaitAsync(TimeSpan.FromSeconds(10));
        await paying.WaitAsync(TimeSpan.FromSeconds(10));
        await harness.AdvanceAsync(2.Days());

        waitedForTheClaim.Should().BeTrue("the exit waits for the claim of the step in progress");
        (await harness.TimelineAsync("order-1")).Select(r => (r.Kind, r.StepId)).Should().Equal(
            (JourneyRecordKind.Entered, null),
            (JourneyRecordKind.Sent, "first"),
            (JourneyRecordKind.Converted, "first"));
        harness.Sent.Should().ContainSingle();
    }

    [Fact]
    public async Task Reentry_Ignore_KeepsTheRunningInstanceAndRecordsTheRepeat()
    {
        using var harness = new JourneyTestHarness(TwoPushes(ReentryPolicy.Ignore));
        var first = await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(30.Minutes());

        var again = await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(2.Days());

        again.Started.Should().BeEmpty();
        again.Ignored.Should().Equal(first.Started);
        harness.Sent.Select(s => (s.StepId, s.At - FakeClock.DefaultStart)).Should().Equal(("first", 5.Minutes()), ("second", 1.Hours()));
        (await harness.TimelineAsync("order-1")).Select(r => r.Kind).Should().Contain(JourneyRecordKind.ReentryIgnored);
    }

    [Fact]
    public async Task Reentry_Restart_EndsTheRunningInstanceAndStartsOverFromTheNewTrigger()
    {
        using var harness = new JourneyTestHarness(TwoPushes(ReentryPolicy.Restart));
        var first = await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(30.Minutes());

        var again = await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(2.Days());

        again.Ended.Should().Equal(first.Started);
        again.Started.Should().ContainSingle().Which.Should().NotBe(first.Started[0]);
        harness.Sent.Select(s => (s.StepId, s.At - FakeClock.DefaultStart)).Should().Equal(
            ("first", 5.Minutes()),
            ("first", 35.Minutes()),
            ("second", 90.Minutes()));
        var instances = await harness.InstancesAsync("order-1");
        instances.Select(i => i.Status).Should().Equal(JourneyStatus.Exited, JourneyStatus.Completed);
        instances[0].EndReason.Should().Be("restarted by a new CheckoutAbandoned");
    }

    [Fact]
    public async Task DifferentKeys_RunIndependentInstances()
    {
        using var harness = new JourneyTestHarness(TwoPushes());

        await harness.PublishAsync(Shop.Abandoned("order-1"));
        await harness.AdvanceAsync(10.Minutes());
        await harness.PublishAsync(Shop.Abandoned("order-2"));
        await harness.PublishAsync(new OrderPaid("order-1", 1m));
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Select(s => (s.StepId, s.At - FakeClock.DefaultStart)).Should().Equal(
            ("first", 5.Minutes()),
            ("first", 15.Minutes()),
            ("second", 70.Minutes()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Trigger_WithoutCorrelationKey_IsRejectedNamingTheJourneyAndChangesNothing(string? key)
    {
        var other = Journey.When<CheckoutAbandoned>().Named("other").CorrelateBy(e => "fixed").Do((_, _) => ValueTask.CompletedTask).Build();
        using var harness = new JourneyTestHarness(TwoPushes(), other);

        var publish = () => harness.Engine.PublishAsync(Shop.Abandoned(key!)).AsTask();

        var error = (await publish.Should().ThrowAsync<JourneyEventException>()).Which;
        error.Message.Should().Be("Journey 'checkout-recovery' cannot handle CheckoutAbandoned: its correlation key is null or empty");
        error.JourneyName.Should().Be("checkout-recovery");
        (await harness.Store.FindAsync(new JourneyInstanceQuery(), default)).Should().BeEmpty("the other journey did not start either");
    }

    [Fact]
    public async Task ExitEvent_WithoutCorrelationKey_IsRejected()
    {
        using var harness = new JourneyTestHarness(TwoPushes());

        var publish = () => harness.Engine.PublishAsync(new OrderPaid(null!, 1m)).AsTask();

        (await publish.Should().ThrowAsync<JourneyEventException>()).WithMessage("Journey 'checkout-recovery' cannot handle OrderPaid: its correlation key is null or empty");
    }

    [Fact]
    public async Task Trigger_WhoseFilterThrows_IsRejectedNamingTheJourney()
    {
        var journey = Journey.When<CheckoutAbandoned>(e => e.Items[5].Price > 0).Named("picky").CorrelateBy(e => e.OrderId).Do((_, _) => ValueTask.CompletedTask).Build();
        using var harness = new JourneyTestHarness(journey);

        var publish = () => harness.Engine.PublishAsync(Shop.Abandoned()).AsTask();

        (await publish.Should().ThrowAsync<JourneyEventException>()).WithMessage("Journey 'picky' cannot handle CheckoutAbandoned: a selector or filter threw IndexOutOfRangeException*");
    }

    [Fact]
    public async Task EventNoJourneyListensTo_IsANoOp()
    {
        using var harness = new JourneyTestHarness(TwoPushes());

        var result = await harness.PublishAsync(new NewsletterSignedUp("bob@example.com"));

        result.Should().BeSameAs(PublishResult.Unhandled);
        result.IsHandled.Should().BeFalse();
        (await harness.Store.FindAsync(new JourneyInstanceQuery(), default)).Should().BeEmpty();
    }

    [Fact]
    public async Task ExitEvent_ForAKeyWithoutInstance_IsHandledAndChangesNothing()
    {
        using var harness = new JourneyTestHarness(TwoPushes());

        var result = await harness.PublishAsync(new OrderPaid("unknown", 1m));

        result.IsHandled.Should().BeTrue();
        result.Ended.Should().BeEmpty();
    }

    [Fact]
    public async Task ChannelThatThrows_IsRecordedAsTheStepFailureAndLaterStepsStillRun()
    {
        using var harness = new JourneyTestHarness(
            [Checkout().After(5.Minutes()).Push(p => p.Body("a")).Then().After(1.Hours()).Email(m => m.Subject("s").TextBody("b")).Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(ScriptedChannel<PushMessage>.Throwing("push provider is down")) });

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Days() + 2.Hours());

        var timeline = await harness.TimelineAsync("order-1");
        timeline.Select(r => (r.At - FakeClock.DefaultStart, r.Kind, r.StepId, r.Detail)).Should().Equal(
            (Duration.Zero, JourneyRecordKind.Entered, null, null),
            (5.Minutes(), JourneyRecordKind.RetryScheduled, "push-1", "attempt 1 of 3 failed: InvalidOperationException: push provider is down; retrying in 1m"),
            (6.Minutes(), JourneyRecordKind.RetryScheduled, "push-1", "attempt 2 of 3 failed: InvalidOperationException: push provider is down; retrying in 2m"),
            (8.Minutes(), JourneyRecordKind.Failed, "push-1", "attempt 3 of 3 failed: InvalidOperationException: push provider is down"),
            (68.Minutes(), JourneyRecordKind.Sent, "email-1", null),
            (68.Minutes() + JourneyDefinition.DefaultAttributionWindow, JourneyRecordKind.Completed, null, "completed"));
        harness.Sent.Select(s => s.StepId).Should().Equal("email-1");
    }

    [Fact]
    public async Task ChannelThatThrows_DoesNotStopOtherJourneys()
    {
        var pushOnly = Checkout("push-only").After(5.Minutes()).Push(p => p.Body("a")).Build();
        var smsOnly = Checkout("sms-only").After(5.Minutes()).Sms(s => s.Text("b")).Build();
        using var harness = new JourneyTestHarness(
            [pushOnly, smsOnly],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(ScriptedChannel<PushMessage>.Throwing("down")) });

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Hours());

        harness.Sent.Select(s => s.JourneyName).Should().Equal("sms-only");
    }

    [Fact]
    public async Task OnStepFailureExit_EndsTheJourneyAtTheFirstFailure()
    {
        using var harness = new JourneyTestHarness(
            [Checkout().OnStepFailure(StepFailurePolicy.Exit).After(5.Minutes()).Push(p => p.Body("a")).Then().After(1.Hours()).Sms(s => s.Text("b")).Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(ScriptedChannel<PushMessage>.Throwing("down")) });

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(2.Hours());

        harness.Sent.Should().BeEmpty();
        var instance = (await harness.InstancesAsync("order-1")).Single();
        instance.Status.Should().Be(JourneyStatus.Failed);
        instance.EndReason.Should().Be("step 'push-1' failed");
    }

    [Fact]
    public async Task ActionThatThrows_IsRecordedAsFailed()
    {
        var journey = Journey.When<CheckoutAbandoned>().CorrelateBy(e => e.OrderId)
            .Do("crm", (_, _) => throw new TimeoutException("CRM did not answer"))
            .Build();
        using var harness = new JourneyTestHarness(journey);

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Hours());

        (await harness.TimelineAsync("order-1")).Where(r => r.StepId == "crm").Select(r => r.Kind).Should().Equal(
            JourneyRecordKind.RetryScheduled, JourneyRecordKind.RetryScheduled, JourneyRecordKind.Failed);
        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Failed && r.StepId == "crm" && r.Detail == "attempt 3 of 3 failed: TimeoutException: CRM did not answer");
    }

    [Fact]
    public async Task ChannelThatSkips_IsRecordedWithItsReason()
    {
        using var harness = new JourneyTestHarness(
            [Checkout().Push(p => p.Body("a")).Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(new ScriptedChannel<PushMessage>((_, _) => ValueTask.FromResult(DeliveryReceipt.Skipped("no device registered")))) });

        await harness.PublishAsync(Shop.Abandoned());

        harness.Sent.Should().BeEmpty();
        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Skipped && r.Detail == "no device registered");
    }

    [Fact]
    public async Task StepWithoutCustomer_IsSkipped()
    {
        var journey = Journey.When<CheckoutAbandoned>().CorrelateBy(e => e.OrderId).ForCustomer(_ => null).Push(p => p.Body("a")).Build();
        using var harness = new JourneyTestHarness(journey);

        await harness.PublishAsync(Shop.Abandoned());

        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Skipped && r.Detail == "customer not found");
    }

    [Fact]
    public async Task CancelledMidSend_ReleasesTheClaim_AndTheRetryCarriesTheSameIdempotencyKey()
    {
        using var stop = new CancellationTokenSource();
        var attempts = 0;
        var push = new ScriptedChannel<PushMessage>((_, token) =>
        {
            if (++attempts == 1)
            {
                stop.Cancel();
                token.ThrowIfCancellationRequested();
            }

            return ValueTask.FromResult(DeliveryReceipt.Sent());
        });
        using var harness = new JourneyTestHarness([Checkout().After(5.Minutes()).Push(p => p.Body("a")).Build()], new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(push) });
        var started = await harness.PublishAsync(Shop.Abandoned());
        harness.Clock.Advance(5.Minutes());

        var stopping = () => harness.Engine.RunDueAsync(stop.Token).AsTask();
        await stopping.Should().ThrowAsync<OperationCanceledException>();
        (await harness.TimelineAsync("order-1")).Select(r => r.Kind).Should().Equal(JourneyRecordKind.Entered);
        await harness.AdvanceAsync(JourneyDefinition.DefaultAttributionWindow);

        push.Attempts.Select(a => a.IdempotencyKey).Should().Equal($"{started.Started[0]}:push-1", $"{started.Started[0]}:push-1");
        (await harness.TimelineAsync("order-1")).Select(r => r.Kind).Should().Equal(JourneyRecordKind.Entered, JourneyRecordKind.Sent, JourneyRecordKind.Completed);
    }

    [Fact]
    public async Task IdempotencyKeys_AreUniquePerInstanceAndStep()
    {
        using var harness = new JourneyTestHarness(TwoPushes());

        await harness.PublishAsync(Shop.Abandoned("order-1"));
        await harness.PublishAsync(Shop.Abandoned("order-2"));
        await harness.AdvanceAsync(2.Hours());

        harness.Sent.Select(s => s.IdempotencyKey).Should().OnlyHaveUniqueItems().And.HaveCount(4);
        harness.Sent.Should().OnlyContain(s => s.IdempotencyKey == $"{s.InstanceId}:{s.StepId}");
    }

    [Fact]
    public void Engine_WithoutAChannelForAMessageKind_FailsNamingJourneyAndStep()
    {
        var journey = Checkout().After(1.Hours()).Sms("sms-reminder", s => s.Text("x")).Build();

        var create = () => new JourneyEngine([journey], new InMemoryJourneyStore(), new JourneyHostServices { Channels = new EmptyChannels() }, new FakeClock());

        create.Should().Throw<JourneyDefinitionException>()
            .WithMessage("Journey 'checkout-recovery', step 'sms-reminder': it sends SmsMessage but no IChannel<SmsMessage> is registered");
    }

    [Fact]
    public void Engine_WithCustomerIdButNoDirectory_Fails()
    {
        var journey = Journey.When<CheckoutAbandoned>().Named("by-id").CorrelateBy(e => e.OrderId).ForCustomerId(e => e.Customer.Id).Push(p => p.Body("x")).Build();

        var create = () => new JourneyTestHarness(journey);

        create.Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'by-id': it names its customer by id (ForCustomerId) but no ICustomerDirectory is registered");
    }

    [Fact]
    public void Engine_WithTheSameJourneyVersionTwice_Fails()
    {
        var create = () => new JourneyTestHarness(TwoPushes(), TwoPushes());

        create.Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'checkout-recovery': version 1 is registered twice");
    }

    [Fact]
    public async Task Versions_AnInstanceKeepsTheVersionItStartedWith()
    {
        var store = new InMemoryJourneyStore();
        var v1 = Checkout().Version(1).AfterStart(1.Hours()).Push("old", p => p.Body("v1")).Build();
        var v2 = Checkout().Version(2).AfterStart(1.Hours()).Push("new", p => p.Body("v2")).Build();
        using (var before = new JourneyTestHarness([v1], new JourneyTestHarnessOptions { Store = store }))
        {
            await before.PublishAsync(Shop.Abandoned("order-old"));
        }

        using var after = new JourneyTestHarness([v1, v2], new JourneyTestHarnessOptions { Store = store });
        await after.PublishAsync(Shop.Abandoned("order-new"));
        await after.AdvanceAsync(2.Hours());

        after.Sent.Select(s => (s.Recipient.Id, s.StepId, ((PushMessage)s.Body).Body)).Should().BeEquivalentTo([
            ("cust-alice", "old", "v1"),
            ("cust-alice", "new", "v2"),
        ]);
        (await after.InstancesAsync("order-new")).Single().JourneyVersion.Should().Be(2);
    }

    [Fact]
    public async Task Versions_AnInstanceWhoseVersionIsGone_EndsWithAReason()
    {
        var store = new InMemoryJourneyStore();
        var v1 = Checkout().Version(1).AfterStart(1.Hours()).Push("old", p => p.Body("v1")).Build();
        var v2 = Checkout().Version(2).AfterStart(1.Hours()).Push("new", p => p.Body("v2")).Build();
        using (var before = new JourneyTestHarness([v1], new JourneyTestHarnessOptions { Store = store }))
        {
            await before.PublishAsync(Shop.Abandoned("order-old"));
        }

        using var after = new JourneyTestHarness([v2], new JourneyTestHarnessOptions { Store = store });
        await after.AdvanceAsync(2.Hours());

        after.Sent.Should().BeEmpty();
        var instance = (await after.InstancesAsync("order-old")).Single();
        instance.Status.Should().Be(JourneyStatus.Failed);
        instance.EndReason.Should().Be("journey 'checkout-recovery' v1 is not registered");
    }

    [Fact]
    public async Task SeveralJourneysOnOneEvent_EachStarts()
    {
        using var harness = new JourneyTestHarness(Checkout("a").Push(p => p.Body("a")).Build(), Checkout("b").Sms(s => s.Text("b")).Build());

        var result = await harness.PublishAsync(Shop.Abandoned());

        result.Started.Should().HaveCount(2);
        harness.Sent.Select(s => s.JourneyName).Should().BeEquivalentTo("a", "b");
    }

    [Fact]
    public async Task EraseCustomer_RemovesTheInstancesAndTheirPendingSteps()
    {
        using var harness = new JourneyTestHarness(TwoPushes());
        await harness.PublishAsync(Shop.Abandoned("order-1"));
        await harness.PublishAsync(Shop.Abandoned("order-2", customer: Shop.Alice with { Id = "cust-bob" }));

        var erased = await harness.Engine.EraseCustomerAsync("cust-alice");
        await harness.AdvanceAsync(2.Hours());

        erased.Should().Be(1);
        (await harness.InstancesAsync("order-1")).Should().BeEmpty();
        harness.Sent.Select(s => s.Recipient.Id).Should().Equal("cust-bob", "cust-bob");
    }

    [Fact]
    public async Task Timeline_CanBeQueriedByCustomer()
    {
        using var harness = new JourneyTestHarness(TwoPushes());
        await harness.PublishAsync(Shop.Abandoned("order-1"));
        await harness.PublishAsync(Shop.Abandoned("order-2"));

        var instances = await harness.Engine.FindInstancesAsync(new JourneyInstanceQuery(CustomerId: "cust-alice"));

        instances.Select(i => i.CorrelationKey).Should().Equal("order-1", "order-2");
    }

    [Fact]
    public async Task StoredEventsAreRead_WhenTheStoreKeepsThemAsJson()
    {
        var store = new JsonRoundTripStore();
        using var harness = new JourneyTestHarness([TestJourneys.CheckoutRecovery()], new JourneyTestHarnessOptions { Store = store });

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(2.Hours());

        harness.SentOf<EmailMessage>().Single().Message.HtmlBody.Should().Contain("https://cdn.example.com/sneakers.jpg");
        store.Serialized.Should().Contain("\"orderId\":\"order-1\"");
    }

    private sealed class EmptyChannels : IChannelResolver
    {
        public IChannel<TMessage>? Resolve<TMessage>()
            where TMessage : class => null;
    }

    /// <summary>An in-memory store that keeps trigger events only as JSON, as durable stores do.</summary>
    private sealed class JsonRoundTripStore : DelegatingStore
    {
        public string Serialized { get; private set; } = string.Empty;

        public override ValueTask<StartOutcome> TryStartAsync(JourneyStart start, CancellationToken cancellationToken)
        {
            var entry = start.Entry;
            Serialized = entry.Instance.Trigger.ToJson();
            var fromJson = start with { Entry = entry with { Instance = entry.Instance with { Trigger = StoredEvent.FromJson(Serialized) } } };
            return Inner.TryStartAsync(fromJson, cancellationToken);
        }
    }
}
