using System.Collections.Immutable;
using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Runtime.Steps;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Runtime;

/// <summary>Every transition of the instance lifecycle, on its own: pure functions from a state to the next.</summary>
public sealed class InstanceLifecycleTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 1, 5, 9, 0);

    private static JourneyBuilder<CheckoutAbandoned> Checkout(string name = "lifecycle") =>
        Journey.When<CheckoutAbandoned>().Named(name).CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    // push-1 at +5 min after start, sms-1 one hour after push-1 ran; converted by OrderPaid.
    private static readonly JourneyDefinition TwoSteps = Checkout()
        .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
        .AfterStart(5.Minutes()).Push(p => p.Body("a"))
        .Then().After(1.Hours()).Sms(s => s.Text("b"))
        .AttributionWindow(12.Hours())
        .Build();

    private static JourneyInstance New(JourneyDefinition journey) => new()
    {
        Id = JourneyInstanceId.New(),
        JourneyName = journey.Name,
        JourneyVersion = journey.Version,
        CorrelationKey = "order-1",
        CustomerId = "cust-alice",
        Trigger = StoredEvent.FromValue(Shop.Abandoned(), JourneyJson.DefaultOptions),
        StartedAt = T0,
    };

    private static StepResult Sent(string channel) => new([new DeliveryOutcome(JourneyRecordKind.Sent, channel, null)]);

    private static StepResult FailedFor(string channel) => new([new DeliveryOutcome(JourneyRecordKind.Failed, channel, "down")]);

    [Fact]
    public void Enter_MakesAWaitingInstanceDueAtItsFirstStep()
    {
        var entered = InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0);

        entered.Instance.StateAt(T0).Should().Be(InstanceState.Waiting);
        entered.Instance.StateAt(T0 + Duration.FromMinutes(5)).Should().Be(InstanceState.Due);
        entered.Instance.NextStepId.Should().Be("push-1");
        entered.Instance.WakeUpAt.Should().Be(T0 + Duration.FromMinutes(5));
        entered.Records.Select(r => r.Kind).Should().Equal(JourneyRecordKind.Entered);
    }

    [Fact]
    public void Enter_WithAHoldout_AssignsTheGroupTheHashGives()
    {
        var journey = Checkout("held").Holdout(50).Push(p => p.Body("a")).Build();
        var instance = New(journey);

        var entered = InstanceLifecycle.Enter(journey, instance, T0);

        var expected = journey.IsInHoldout("cust-alice") ? "holdout" : "journey";
        entered.Instance.Variables["holdout"].Should().Be(expected);
        entered.Records.Select(r => (r.Kind, r.Detail)).Should().Equal((JourneyRecordKind.Entered, null), (JourneyRecordKind.Assigned, expected));
    }

    [Fact]
    public void AfterStep_Sent_MovesToTheNextStep_TimedFromNow_AndRemembersTheSend()
    {
        var waiting = InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0).Instance;
        var ranAt = T0 + Duration.FromMinutes(7);

        var moved = InstanceLifecycle.AfterStep(TwoSteps, waiting, TwoSteps.Steps[0], Sent("push"), ranAt);

        moved.Instance.StateAt(ranAt).Should().Be(InstanceState.Waiting);
        moved.Instance.NextStepId.Should().Be("sms-1");
        moved.Instance.WakeUpAt.Should().Be(ranAt + Duration.FromHours(1));
        moved.Instance.LastSentStepId.Should().Be("push-1");
        moved.Instance.LastSentAt.Should().Be(ranAt);
        moved.Instance.LastSentChannel.Should().Be("push");
        moved.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Kind = JourneyRecordKind.Sent, StepId = "push-1", Channel = "push", At = ranAt });
    }

    [Fact]
    public void AfterStep_RunAgain_KeepsTheSameStep_WithItsAttemptAndProgress_NeverInThePast()
    {
        var waiting = InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0).Instance;
        var now = T0 + Duration.FromMinutes(5);
        var retry = new StepResult([new DeliveryOutcome(JourneyRecordKind.RetryScheduled, "push", "timed out")]) { RunAgainAt = now - Duration.FromMinutes(1), NextAttempt = 1, Progress = "2" };

        var again = InstanceLifecycle.AfterStep(TwoSteps, waiting, TwoSteps.Steps[0], retry, now);

        again.Instance.NextStepId.Should().Be("push-1");
        again.Instance.WakeUpAt.Should().Be(now);
        again.Instance.StepAttempt.Should().Be(1);
        again.Instance.StepProgress.Should().Be("2");
        again.Instance.LastStepAt.Should().BeNull();
    }

    [Fact]
    public void AfterStep_LastStepOfAJourneyWithAGoal_Listens_ForTheAttributionWindow()
    {
        var atSms = Ran(TwoSteps, 0);
        var now = T0 + Duration.FromHours(2);

        var listening = InstanceLifecycle.AfterStep(TwoSteps, atSms, TwoSteps.Steps[1], Sent("sms"), now);

        listening.Instance.StateAt(now).Should().Be(InstanceState.Listening);
        listening.Instance.IsListening.Should().BeTrue();
        listening.Instance.WakeUpAt.Should().Be(now + Duration.FromHours(12));
        listening.Instance.Status.Should().Be(JourneyStatus.Active);
    }

    [Fact]
    public void AfterStep_LastStepOfAJourneyWithoutAGoal_Completes()
    {
        var journey = Checkout("no-goal").Push(p => p.Body("a")).Build();
        var waiting = InstanceLifecycle.Enter(journey, New(journey), T0).Instance;

        var completed = InstanceLifecycle.AfterStep(journey, waiting, journey.Steps[0], Sent("push"), T0);

        completed.Instance.StateAt(T0).Should().Be(InstanceState.Completed);
        completed.Records.Select(r => r.Kind).Should().Equal(JourneyRecordKind.Sent, JourneyRecordKind.Completed);
    }

    [Fact]
    public void AfterStep_FailedStep_FailsTheInstance_WhenTheJourneyStopsOnFailure_AndMovesOnOtherwise()
    {
        var stops = Checkout("stops").OnStepFailure(StepFailurePolicy.Exit).Push(p => p.Body("a")).Then().After(1.Hours()).Sms(s => s.Text("b")).Build();
        var goesOn = Checkout("goes-on").Push(p => p.Body("a")).Then().After(1.Hours()).Sms(s => s.Text("b")).Build();

        var failed = InstanceLifecycle.AfterStep(stops, InstanceLifecycle.Enter(stops, New(stops), T0).Instance, stops.Steps[0], FailedFor("push"), T0);
        var movedOn = InstanceLifecycle.AfterStep(goesOn, InstanceLifecycle.Enter(goesOn, New(goesOn), T0).Instance, goesOn.Steps[0], FailedFor("push"), T0);

        failed.Instance.StateAt(T0).Should().Be(InstanceState.Failed);
        failed.Instance.EndReason.Should().Be("step 'push-1' failed");
        failed.Records.Select(r => r.Kind).Should().Equal(JourneyRecordKind.Failed, JourneyRecordKind.Exited);
        movedOn.Instance.StateAt(T0).Should().Be(InstanceState.Waiting);
        movedOn.Instance.NextStepId.Should().Be("sms-1");
    }

    [Fact]
    public void AfterStep_ABranch_GoesWhereTheResultSays_EvenToTheEnd()
    {
        var branched = new StepResult([new DeliveryOutcome(JourneyRecordKind.Branched, "if", "else")]) { Branches = true, NextStepId = null };
        var waiting = InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0).Instance;

        var listening = InstanceLifecycle.AfterStep(TwoSteps, waiting, TwoSteps.Steps[0], branched, T0);

        listening.Instance.StateAt(T0).Should().Be(InstanceState.Listening);
    }

    [Fact]
    public void Complete_EndsAListeningInstance_AndRefusesOneThatStillHasSteps()
    {
        var listening = InstanceLifecycle.AfterStep(TwoSteps, Ran(TwoSteps, 0), TwoSteps.Steps[1], Sent("sms"), T0).Instance;
        var waiting = InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0).Instance;

        InstanceLifecycle.Complete(TwoSteps, listening, T0).Instance.StateAt(T0).Should().Be(InstanceState.Completed);
        var act = () => InstanceLifecycle.Complete(TwoSteps, waiting, T0);
        act.Should().Throw<InvalidOperationException>().WithMessage("*cannot complete*not listening*");
    }

    [Fact]
    public void Convert_WithinTheWindow_IsAttributedToTheLastMessage_AndOutsideIt_ToNone()
    {
        var afterPush = InstanceLifecycle.AfterStep(TwoSteps, InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0).Instance, TwoSteps.Steps[0], Sent("push"), T0).Instance;

        var soon = InstanceLifecycle.Convert(TwoSteps, afterPush, T0 + Duration.FromHours(11), "OrderPaid", 49.90m);
        var late = InstanceLifecycle.Convert(TwoSteps, afterPush, T0 + Duration.FromHours(13), "OrderPaid", 49.90m);

        soon.Instance.StateAt(T0).Should().Be(InstanceState.Converted);
        soon.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Kind = JourneyRecordKind.Converted, StepId = "push-1", Channel = "push", Value = 49.90m, Detail = "OrderPaid" });
        late.Records.Single().StepId.Should().BeNull();
        late.Records.Single().Detail.Should().Be("OrderPaid, 13h after the last message: outside the attribution window of 12h");
    }

    [Fact]
    public void Exit_And_Fail_EndAnActiveInstance_AndRefuseAnEndedOne()
    {
        var waiting = InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0).Instance;

        var exited = InstanceLifecycle.Exit(TwoSteps, waiting, T0, "OrderCancelled");
        var failed = InstanceLifecycle.Fail(TwoSteps, waiting, T0, "journey gone");

        exited.Instance.StateAt(T0).Should().Be(InstanceState.Exited);
        exited.Instance.WakeUpAt.Should().BeNull();
        failed.Instance.StateAt(T0).Should().Be(InstanceState.Failed);
        var again = () => InstanceLifecycle.Exit(TwoSteps, exited.Instance, T0, "twice");
        again.Should().Throw<InvalidOperationException>().WithMessage("*already ended*");
    }

    [Fact]
    public void Resume_MovesAnInstanceWaitingForTheEvent_OnToTheEventsPath_AndIgnoresOthers()
    {
        var journey = Checkout("waits")
            .WaitFor<PaymentRetried>(e => e.CartId, 2.Hours(), "wait")
            .OnEvent(p => p.After(10.Minutes()).Push("thanks", m => m.Body("ok")))
            .OnTimeout(p => p.Sms("nudge", s => s.Text("nudge")))
            .Build();
        var rule = journey.Waits.Single();
        var entered = InstanceLifecycle.Enter(journey, New(journey), T0).Instance;
        var waitingForEvent = entered with { StepProgress = WaitStep.Waiting, WakeUpAt = T0 + Duration.FromHours(2) };
        var now = T0 + Duration.FromMinutes(30);

        var resumed = InstanceLifecycle.Resume(journey, rule, waitingForEvent, typeof(PaymentRetried), now);

        resumed!.Instance.NextStepId.Should().Be("thanks");
        resumed.Instance.WakeUpAt.Should().Be(now + Duration.FromMinutes(10));
        resumed.Records.Single().Kind.Should().Be(JourneyRecordKind.Resumed);
        InstanceLifecycle.Resume(journey, rule, entered, typeof(PaymentRetried), now).Should().BeNull("the wait has not begun");
        InstanceLifecycle.Resume(journey, rule, waitingForEvent with { JourneyVersion = 2 }, typeof(PaymentRetried), now).Should().BeNull("another version");
    }

    [Fact]
    public void RestartWait_PutsTheNextStepOffByTheSameWait_ButNotARetryOrAListeningInstance()
    {
        var waiting = InstanceLifecycle.AfterStep(TwoSteps, InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0).Instance, TwoSteps.Steps[0], Sent("push"), T0).Instance;
        var now = T0 + Duration.FromMinutes(20);

        var restarted = InstanceLifecycle.RestartWait(TwoSteps, waiting, typeof(CartUpdated), now);

        restarted!.Instance.WakeUpAt.Should().Be(now + Duration.FromHours(1));
        restarted.Records.Single().Should().BeEquivalentTo(new { Kind = JourneyRecordKind.WaitRestarted, StepId = "sms-1", Detail = "CartUpdated: next step in 1h" });
        InstanceLifecycle.RestartWait(TwoSteps, waiting with { StepAttempt = 1 }, typeof(CartUpdated), now).Should().BeNull();
        var listening = InstanceLifecycle.AfterStep(TwoSteps, waiting, TwoSteps.Steps[1], Sent("sms"), now).Instance;
        InstanceLifecycle.RestartWait(TwoSteps, listening, typeof(CartUpdated), now).Should().BeNull();
    }

    [Fact]
    public void IgnoreReentry_RecordsTheTrigger_AndLeavesTheInstanceAsItIs()
    {
        var waiting = InstanceLifecycle.Enter(TwoSteps, New(TwoSteps), T0).Instance;

        var ignored = InstanceLifecycle.IgnoreReentry(waiting, typeof(CheckoutAbandoned), T0);

        ignored.Instance.Should().Be(waiting);
        ignored.Records.Single().Should().BeEquivalentTo(new { Kind = JourneyRecordKind.ReentryIgnored, Detail = "CheckoutAbandoned" });
    }

    // The instance after step `index` ran and sent, waiting for the next one.
    private static JourneyInstance Ran(JourneyDefinition journey, int index)
    {
        var instance = InstanceLifecycle.Enter(journey, New(journey), T0).Instance;
        for (var i = 0; i <= index; i++)
        {
            instance = InstanceLifecycle.AfterStep(journey, instance, journey.Steps[i], Sent(journey.Steps[i].Channel), T0).Instance;
        }

        return instance with { Variables = ImmutableDictionary<string, string>.Empty };
    }
}
