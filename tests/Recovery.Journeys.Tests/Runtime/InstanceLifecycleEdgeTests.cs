using NodaTime;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Runtime.Steps;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Runtime;

/// <summary>
/// The lifecycle's transitions at their edges, where a wrong comparison or a dropped assignment is a wrong send or a
/// wrong attribution: what counts as a send, the attribution window's last instant, goals among other exits, a wait
/// restarted before the first step, exit actions, the customer's time zone.
/// </summary>
public sealed class InstanceLifecycleEdgeTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 1, 5, 9, 0);

    private static JourneyBuilder<CheckoutAbandoned> Checkout(string name = "edges") =>
        Journey.When<CheckoutAbandoned>().Named(name).CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    // push-1 at +5 min after start, sms-1 one hour after push-1 ran; converted by OrderPaid within 12 h.
    private static readonly JourneyDefinition TwoSteps = Checkout()
        .ExitWhen<OrderPaid>(e => e.OrderId)
        .AfterStart(5.Minutes()).Push(p => p.Body("a"))
        .Then().After(1.Hours()).Sms(s => s.Text("b"))
        .AttributionWindow(12.Hours())
        .Build();

    private static JourneyInstance New(JourneyDefinition journey, string? timeZone = null) => new()
    {
        Id = JourneyInstanceId.New(),
        JourneyName = journey.Name,
        JourneyVersion = journey.Version,
        CorrelationKey = "order-1",
        CustomerId = "cust-alice",
        TimeZone = timeZone,
        Trigger = StoredEvent.FromValue(Shop.Abandoned(), JourneyJson.DefaultOptions),
        StartedAt = T0,
    };

    private static DeliveryOutcome Outcome(JourneyRecordKind kind, string channel) => new(kind, channel, null);

    [Fact]
    public void AfterStep_ASendOnTwoChannels_IsRememberedAsBoth_AndAFailedDelivery_IsNoSend()
    {
        var waiting = InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0).Instance;
        var now = T0 + Duration.FromMinutes(5);

        var both = InstanceLifecycle.AfterStep(TwoSteps, waiting, TwoSteps.Steps[0], new StepResult([Outcome(JourneyRecordKind.Sent, "push"), Outcome(JourneyRecordKind.Sent, "email")]), now);
        var failed = InstanceLifecycle.AfterStep(TwoSteps, waiting, TwoSteps.Steps[0], new StepResult([Outcome(JourneyRecordKind.Failed, "push")]), now);

        both.Instance.LastSentChannel.Should().Be("push+email");
        both.Instance.LastSentStepId.Should().Be("push-1");
        failed.Instance.LastSentStepId.Should().BeNull();
        failed.Instance.LastSentAt.Should().BeNull();
        failed.Instance.LastSentChannel.Should().BeNull();
        failed.Instance.NextStepId.Should().Be("sms-1", "the journey goes on after a failed step by default");
    }

    [Fact]
    public void AfterStep_AStepThatSendsNoMessage_IsNoSend_EvenIfItsOutcomeSaysSent()
    {
        var journey = Checkout("action").ExitWhen<OrderPaid>(e => e.OrderId).Do("tag", (_, _) => ValueTask.CompletedTask).Then().After(1.Hours()).Push(p => p.Body("a")).Build();
        var waiting = InstanceLifecycle.Enter(journey, New(journey), T0).Instance;

        var ran = InstanceLifecycle.AfterStep(journey, waiting, journey.Steps[0], new StepResult([Outcome(JourneyRecordKind.Sent, "action")]), T0);

        ran.Instance.LastSentStepId.Should().BeNull();
        ran.Instance.LastSentChannel.Should().BeNull();
    }

    [Fact]
    public void AfterStep_RunAgainLater_WakesThen_AndKeepsWhatThisAttemptSent()
    {
        var waiting = InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0).Instance;
        var now = T0 + Duration.FromMinutes(5);
        var partly = new StepResult([Outcome(JourneyRecordKind.Sent, "push"), Outcome(JourneyRecordKind.RetryScheduled, "email")])
        {
            RunAgainAt = now + Duration.FromMinutes(10),
            NextAttempt = 2,
            Progress = "push",
        };

        var again = InstanceLifecycle.AfterStep(TwoSteps, waiting, TwoSteps.Steps[0], partly, now);

        again.Instance.WakeUpAt.Should().Be(now + Duration.FromMinutes(10));
        again.Instance.NextStepId.Should().Be("push-1");
        again.Instance.LastSentStepId.Should().Be("push-1");
        again.Instance.LastSentAt.Should().Be(now);
        again.Instance.LastSentChannel.Should().Be("push");
    }

    [Fact]
    public void AfterStep_AStepThatEndsTheJourneyAsAConversion_AttributesItToThatStepsSend()
    {
        var waiting = InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0).Instance;
        var now = T0 + Duration.FromMinutes(5);
        var ends = new StepResult([Outcome(JourneyRecordKind.Sent, "push")]) { EndsJourney = new JourneyEnd("paid meanwhile", AsConversion: true) };
        var exits = new StepResult([Outcome(JourneyRecordKind.Sent, "push")]) { EndsJourney = new JourneyEnd("not wanted", AsConversion: false) };

        var converted = InstanceLifecycle.AfterStep(TwoSteps, waiting, TwoSteps.Steps[0], ends, now);
        var exited = InstanceLifecycle.AfterStep(TwoSteps, waiting, TwoSteps.Steps[0], exits, now);

        converted.Instance.Status.Should().Be(JourneyStatus.Converted);
        converted.Records.Select(r => (r.Kind, r.StepId, r.Channel, r.Detail)).Should().Equal(
            (JourneyRecordKind.Sent, "push-1", "push", null),
            (JourneyRecordKind.Converted, "push-1", "push", "paid meanwhile"));
        exited.Instance.Status.Should().Be(JourneyStatus.Exited);
        exited.Instance.EndReason.Should().Be("not wanted");
        exited.Records.Select(r => r.Kind).Should().Equal(JourneyRecordKind.Sent, JourneyRecordKind.Exited);
    }

    [Fact]
    public void Convert_AtTheAttributionWindowsLastInstant_IsAttributed_AndATickLater_IsNot()
    {
        var sentAt = T0 + Duration.FromMinutes(5);
        var afterPush = InstanceLifecycle.AfterStep(TwoSteps, InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0).Instance, TwoSteps.Steps[0], new StepResult([Outcome(JourneyRecordKind.Sent, "push")]), sentAt).Instance;

        var atTheEdge = InstanceLifecycle.Convert(TwoSteps, afterPush, sentAt + Duration.FromHours(12), "OrderPaid", 10m).Records.Single();
        var justAfter = InstanceLifecycle.Convert(TwoSteps, afterPush, sentAt + Duration.FromHours(12) + Duration.Epsilon, "OrderPaid", 10m).Records.Single();

        atTheEdge.StepId.Should().Be("push-1");
        atTheEdge.Channel.Should().Be("push");
        atTheEdge.Detail.Should().Be("OrderPaid");
        justAfter.StepId.Should().BeNull();
        justAfter.Channel.Should().BeNull();
        justAfter.Value.Should().Be(10m);
    }

    [Fact]
    public void Convert_BeforeAnySend_IsTheJourneys_NotAMessages()
    {
        var waiting = InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0).Instance;

        var converted = InstanceLifecycle.Convert(TwoSteps, waiting, T0 + Duration.FromMinutes(1), "OrderPaid", 10m);

        converted.Records.Single().Should().BeEquivalentTo(new { Kind = JourneyRecordKind.Converted, StepId = (string?)null, Channel = (string?)null, Detail = "OrderPaid", Value = 10m });
        converted.Instance.EndedAt.Should().Be(T0 + Duration.FromMinutes(1));
        converted.Instance.WakeUpAt.Should().BeNull();
    }

    [Fact]
    public void Listen_AJourneyWhoseGoalIsOneOfSeveralExits_Listens_AndOneWithoutAGoal_Completes()
    {
        var mixed = Checkout("mixed").ExitWhen<OrderCancelled>(e => e.OrderId, x => x.NotAConversion()).ExitWhen<OrderPaid>(e => e.OrderId).Push(p => p.Body("a")).Build();
        var noGoal = Checkout("no-goal").ExitWhen<OrderCancelled>(e => e.OrderId, x => x.NotAConversion()).Push(p => p.Body("a")).Build();
        var sent = new StepResult([Outcome(JourneyRecordKind.Sent, "push")]);

        var listening = InstanceLifecycle.AfterStep(mixed, InstanceLifecycle.Enter(mixed, New(mixed), T0).Instance, mixed.Steps[0], sent, T0);
        var completed = InstanceLifecycle.AfterStep(noGoal, InstanceLifecycle.Enter(noGoal, New(noGoal), T0).Instance, noGoal.Steps[0], sent, T0);

        listening.Instance.IsListening.Should().BeTrue();
        listening.Instance.WakeUpAt.Should().Be(T0 + mixed.AttributionWindow);
        completed.Instance.Status.Should().Be(JourneyStatus.Completed);
        completed.Instance.EndReason.Should().Be("completed");
        completed.Records.Last().Should().BeEquivalentTo(new { Kind = JourneyRecordKind.Completed, Detail = "completed" });
    }

    [Fact]
    public void RestartWait_BeforeTheFirstStep_WaitsAgainAsLongFromNow_AndAWaitForAnEvent_IsLeftAlone()
    {
        var entered = InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0).Instance;
        var now = T0 + Duration.FromMinutes(3);

        var restarted = InstanceLifecycle.RestartWait(TwoSteps, entered, typeof(CartUpdated), now);

        restarted!.Instance.WakeUpAt.Should().Be(now + Duration.FromMinutes(5));
        restarted.Instance.StepDueAt.Should().Be(now + Duration.FromMinutes(5));
        restarted.Instance.LastStepAt.Should().Be(now);
        restarted.Records.Single().Detail.Should().Be("CartUpdated: next step in 5m");
        InstanceLifecycle.RestartWait(TwoSteps, entered with { StepProgress = WaitStep.Waiting }, typeof(CartUpdated), now).Should().BeNull();
        InstanceLifecycle.RestartWait(TwoSteps, entered with { JourneyVersion = 2 }, typeof(CartUpdated), now).Should().BeNull();
    }

    [Fact]
    public void Resume_AnInstanceAtAnotherStepOrNotYetWaiting_IsNotResumed()
    {
        var journey = Checkout("waits")
            .Push("first", p => p.Body("a"))
            .Then().WaitFor<PaymentRetried>(e => e.CartId, 2.Hours(), "wait")
            .OnEvent(p => p.Push("thanks", m => m.Body("ok")))
            .OnTimeout(p => p.Sms("nudge", s => s.Text("nudge")))
            .Build();
        var rule = journey.Waits.Single();
        var atFirst = InstanceLifecycle.Enter(journey, New(journey), T0).Instance;
        var atWait = atFirst with { NextStepId = "wait" };
        var now = T0 + Duration.FromMinutes(30);

        InstanceLifecycle.Resume(journey, rule, atFirst with { StepProgress = WaitStep.Waiting }, typeof(PaymentRetried), now).Should().BeNull("it is at another step");
        InstanceLifecycle.Resume(journey, rule, atWait, typeof(PaymentRetried), now).Should().BeNull("the wait has not begun");
        var resumed = InstanceLifecycle.Resume(journey, rule, atWait with { StepProgress = WaitStep.Waiting, StepAttempt = 1 }, typeof(PaymentRetried), now);
        resumed!.Instance.NextStepId.Should().Be("thanks");
        resumed.Instance.WakeUpAt.Should().Be(now);
        resumed.Instance.StepAttempt.Should().Be(0);
        resumed.Instance.StepProgress.Should().BeNull();
        resumed.Instance.LastStepAt.Should().Be(now);
        resumed.Records.Single().Should().BeEquivalentTo(new { Kind = JourneyRecordKind.Resumed, StepId = "wait", Detail = "PaymentRetried" });
    }

    [Fact]
    public void End_WithExitActions_KeepsTheFirstDueNow_AndEachActionLeadsToTheNextUntilNoneIsLeft()
    {
        var journey = Checkout("exit-actions").ExitWhen<OrderPaid>(e => e.OrderId)
            .Push(p => p.Body("a"))
            .OnExit(x => x.Do("untag", (_, _) => ValueTask.CompletedTask).Then().Do("forget", (_, _) => ValueTask.CompletedTask))
            .Build();
        var waiting = InstanceLifecycle.Enter(journey, New(journey), T0).Instance;
        var now = T0 + Duration.FromMinutes(1);
        var done = new StepResult([Outcome(JourneyRecordKind.Sent, "action")]);

        var exited = InstanceLifecycle.Exit(journey, waiting, now, "OrderCancelled").Instance;
        var afterFirst = InstanceLifecycle.AfterStep(journey, exited, journey.ExitSteps[0], done, now + Duration.FromSeconds(1)).Instance;
        var afterLast = InstanceLifecycle.AfterStep(journey, afterFirst, journey.ExitSteps[1], done, now + Duration.FromSeconds(2)).Instance;

        exited.Status.Should().Be(JourneyStatus.Exited);
        exited.NextStepId.Should().Be("untag");
        exited.WakeUpAt.Should().Be(now);
        exited.StepDueAt.Should().Be(now);
        afterFirst.NextStepId.Should().Be("forget");
        afterFirst.WakeUpAt.Should().Be(now + Duration.FromSeconds(1));
        afterFirst.Status.Should().Be(JourneyStatus.Exited);
        afterLast.NextStepId.Should().BeNull();
        afterLast.WakeUpAt.Should().BeNull();
        afterLast.StepDueAt.Should().BeNull();
    }

    [Fact]
    public void ZoneOf_TheCustomersZone_OrUtcWhenItIsUnknownOrMissing()
    {
        InstanceLifecycle.ZoneOf(New(TwoSteps, "Europe/Paris")).Id.Should().Be("Europe/Paris");
        InstanceLifecycle.ZoneOf(New(TwoSteps, "Mars/Olympus_Mons")).Should().Be(DateTimeZone.Utc);
        InstanceLifecycle.ZoneOf(New(TwoSteps)).Should().Be(DateTimeZone.Utc);
    }
}
