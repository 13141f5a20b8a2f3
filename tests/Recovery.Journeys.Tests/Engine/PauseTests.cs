using NodaTime;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests;

/// <summary>An operator pauses a journey: due steps are held, new instances admitted or not, and resume sends what was held.</summary>
public sealed class PauseTests
{
    [Fact]
    public async Task Paused_HoldsDueSteps_ResumeSendsThem_AndTheTimelineSaysFromWhenToWhen()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecovery());
        var start = harness.Clock.Now;
        await harness.PublishAsync(Shop.Abandoned());

        await harness.Engine.PauseAsync("checkout-recovery");
        await harness.AdvanceAsync(2.Hours());
        harness.Sent.Should().BeEmpty("the push (+5 min) and the e-mail (+1 h) fell due while the journey was paused");
        (await harness.Engine.GetPausesAsync()).Should().ContainSingle().Which.PausedAt.Should().Be(start);

        (await harness.Engine.ResumeAsync("checkout-recovery")).Should().BeTrue();
        await harness.Clock.RunDueAsync();
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Select(s => (s.StepId, s.At - start)).Should().Equal(
            ("push-reminder", 2.Hours()), ("email-reminder", 2.Hours()), ("push-extra-offer", 24.Hours()));
        (await harness.TimelineAsync("order-1")).Should().ContainSingle(r => r.Kind == JourneyRecordKind.Held)
            .Which.Detail.Should().Be("held while the journey was paused, from 2026-01-05T09:00:00Z to 2026-01-05T11:00:00Z");
        (await harness.Engine.ResumeAsync("checkout-recovery")).Should().BeFalse("it is not paused any more");
    }

    [Fact]
    public async Task AHeldStep_StillObeysItsLatenessLimit()
    {
        // Before the first step, SkipIfLaterThan sets the journey's limit for every message to the customer.
        var journey = Journey.When<CheckoutAbandoned>().Named("checkout-recovery").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .SkipIfLaterThan(30.Minutes())
            .AfterStart(5.Minutes()).Push("push-reminder", p => p.Body("a"))
            .Then().AfterStart(1.Hours()).Email("email-reminder", m => m.Subject("b").TextBody("b"))
            .Then().AfterStart(24.Hours()).Push("push-extra-offer", p => p.Body("c"))
            .Build();
        using var harness = new JourneyTestHarness(journey);
        await harness.PublishAsync(Shop.Abandoned());

        await harness.Engine.PauseAsync("checkout-recovery");
        await harness.AdvanceAsync(3.Hours());
        await harness.Engine.ResumeAsync("checkout-recovery");
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Select(s => s.StepId).Should().Equal("push-extra-offer");
        (await harness.TimelineAsync("order-1")).Where(r => r.Kind == JourneyRecordKind.Skipped).Select(r => r.StepId)
            .Should().Equal("push-reminder", "email-reminder");
    }

    [Fact]
    public async Task Paused_AdmitsNewInstancesOrNot_AsTheOperatorChose()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecovery());

        await harness.Engine.PauseAsync("checkout-recovery", admitNewInstances: true);
        (await harness.PublishAsync(Shop.Abandoned("order-1"))).Started.Should().ContainSingle();
        await harness.Engine.PauseAsync("checkout-recovery", admitNewInstances: false);
        var refused = await harness.PublishAsync(Shop.Abandoned("order-2"));

        refused.Started.Should().BeEmpty();
        refused.Suppressed.Should().ContainSingle().Which.Reason.Should().StartWith("the journey is paused (since 2026-01-05T09:00:00Z)");
        var unknown = () => harness.Engine.PauseAsync("no-such-journey").AsTask();
        await unknown.Should().ThrowAsync<ArgumentException>().WithMessage("No journey is named 'no-such-journey'.*");
    }

    [Fact]
    public async Task AnExit_EndsAPausedInstance_AndResumeSendsNothingForIt()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecovery());
        await harness.PublishAsync(Shop.Abandoned());
        await harness.Engine.PauseAsync("checkout-recovery");
        await harness.AdvanceAsync(2.Hours());

        await harness.PublishAsync(new OrderPaid("order-1", 80m));
        await harness.Engine.ResumeAsync("checkout-recovery");
        await harness.AdvanceAsync(3.Days());

        harness.Sent.Should().BeEmpty("the order was paid while its due steps were held");
        (await harness.TimelineAsync("order-1")).Select(r => r.Kind).Should().Equal(JourneyRecordKind.Entered, JourneyRecordKind.Converted);
    }
}
