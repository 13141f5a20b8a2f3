using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Experiments;

public sealed class AttributionTests
{
    private static readonly Duration Window = 2.Hours();

    /// <summary>A push at +5 min and an SMS-or-e-mail at +1 day; conversions attributed within two hours of a message.</summary>
    private static JourneyDefinition TwoReminders(Duration? window = null)
    {
        var builder = Journey.When<CheckoutAbandoned>().Named("checkout-recovery").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, x => x.WithValue(e => e.Amount))
            .ExitWhen<OrderCancelled>(e => e.OrderId, x => x.NotAConversion())
            .RestartWaitOn<CartUpdated>(e => e.CartId);
        if (window is { } w)
        {
            builder = builder.AttributionWindow(w);
        }

        return builder
            .AfterStart(5.Minutes()).Push("push-reminder", p => p.Body("x"))
            .Then().AfterStart(1.Days()).Fallback("last-call", c => c.Sms(m => m.Text("y")).Email(m => m.Subject("s").TextBody("y")))
            .Build();
    }

    private static Customer Bob { get; } = new("cust-bob") { Email = "bob@example.com", PushToken = "t" };

    private static async Task<JourneyRecord> ConversionAsync(JourneyTestHarness harness) =>
        (await harness.TimelineAsync("order-1")).Single(r => r.Kind == JourneyRecordKind.Converted);

    [Fact]
    public void AttributionWindow_DefaultsTo24Hours()
    {
        TwoReminders().AttributionWindow.Should().Be(24.Hours());
        JourneyDefinition.DefaultAttributionWindow.Should().Be(24.Hours());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(91 * 24)]
    public void AttributionWindow_OutOfRange_Fails(int hours)
    {
        var build = () => Journey.When<CheckoutAbandoned>().Named("checkout-recovery").AttributionWindow(Duration.FromHours(hours));

        build.Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'checkout-recovery': the attribution window must be positive and at most 90 days*");
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public async Task Conversion_BetweenSteps_IsAttributedToTheLastMessageOnlyWithinTheWindow(int secondsFromWindowEnd, bool attributed)
    {
        using var harness = new JourneyTestHarness(TwoReminders(Window));
        await harness.PublishAsync(Shop.Abandoned(customer: Bob));
        await harness.AdvanceAsync(5.Minutes() + Window + Duration.FromSeconds(secondsFromWindowEnd));

        await harness.PublishAsync(new OrderPaid("order-1", 49.90m));

        var conversion = await ConversionAsync(harness);
        (await harness.InstancesAsync("order-1")).Single().Status.Should().Be(JourneyStatus.Converted, "the goal was reached while in the journey either way");
        conversion.Value.Should().Be(49.90m);
        if (attributed)
        {
            conversion.Should().Match<JourneyRecord>(r => r.StepId == "push-reminder" && r.Channel == "push" && r.Detail == "OrderPaid");
        }
        else
        {
            conversion.StepId.Should().BeNull();
            conversion.Channel.Should().BeNull();
            conversion.Detail.Should().Be("OrderPaid, 2h1s after the last message: outside the attribution window of 2h");
        }
    }

    [Fact]
    public async Task AfterTheLastStep_TheInstanceListensForTheWindow_AndAPaymentJustInsideConverts()
    {
        using var harness = new JourneyTestHarness(TwoReminders(Window));
        await harness.PublishAsync(Shop.Abandoned(customer: Bob));
        await harness.AdvanceAsync(1.Days() + Window - Duration.FromSeconds(1));

        var instance = (await harness.InstancesAsync("order-1")).Single();
        instance.Status.Should().Be(JourneyStatus.Active);
        instance.NextStepId.Should().BeNull("nothing is left to send");
        instance.WakeUpAt.Should().Be(FakeClock.DefaultStart + 1.Days() + Window);
        var paid = await harness.PublishAsync(new OrderPaid("order-1", 30m));

        paid.Ended.Should().ContainSingle();
        (await ConversionAsync(harness)).Should().Match<JourneyRecord>(r => r.StepId == "last-call" && r.Channel == "email" && r.Value == 30m,
            "the fallback sent by e-mail (Bob has no phone number)");
    }

    [Fact]
    public async Task AfterTheWindow_TheInstanceCompletes_AndALatePaymentFindsNothing()
    {
        using var harness = new JourneyTestHarness(TwoReminders(Window));
        await harness.PublishAsync(Shop.Abandoned(customer: Bob));
        await harness.AdvanceAsync(1.Days() + Window + Duration.FromSeconds(1));

        var paid = await harness.PublishAsync(new OrderPaid("order-1", 30m));

        paid.Ended.Should().BeEmpty();
        var timeline = await harness.TimelineAsync("order-1");
        timeline[^1].Should().Match<JourneyRecord>(r => r.Kind == JourneyRecordKind.Completed && r.At == FakeClock.DefaultStart + 1.Days() + Window);
        timeline.Should().NotContain(r => r.Kind == JourneyRecordKind.Converted);
    }

    [Fact]
    public async Task WhileListening_NothingIsSent_ADebounceDoesNotExtendIt_AndAnExitStillEndsIt()
    {
        using var harness = new JourneyTestHarness(TwoReminders(Window));
        await harness.PublishAsync(Shop.Abandoned(customer: Bob));
        await harness.AdvanceAsync(1.Days() + 30.Minutes());

        var restarted = await harness.PublishAsync(new CartUpdated("order-1"));
        await harness.AdvanceAsync(Window);

        restarted.WaitsRestarted.Should().BeEmpty();
        harness.Sent.Select(s => s.StepId).Should().Equal("push-reminder", "last-call");
        var instance = (await harness.InstancesAsync("order-1")).Single();
        instance.Status.Should().Be(JourneyStatus.Completed);
        instance.EndedAt.Should().Be(FakeClock.DefaultStart + 1.Days() + Window);
    }

    [Fact]
    public async Task WhileListening_ANonConversionExit_EndsItAsExited()
    {
        using var harness = new JourneyTestHarness(TwoReminders(Window));
        await harness.PublishAsync(Shop.Abandoned(customer: Bob));
        await harness.AdvanceAsync(1.Days() + 30.Minutes());

        await harness.PublishAsync(new OrderCancelled("order-1"));

        (await harness.InstancesAsync("order-1")).Single().Status.Should().Be(JourneyStatus.Exited);
    }

    [Fact]
    public async Task WhileListening_ANewerCartOfTheSameCustomer_LeavesTheOldInstanceListening()
    {
        var journey = Journey.When<CheckoutAbandoned>().Named("checkout-recovery").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, x => x.WithValue(e => e.Amount))
            .LatestPerCustomer()
            .Push("push-reminder", p => p.Body("x"))
            .Build();
        using var harness = new JourneyTestHarness(journey);
        await harness.PublishAsync(Shop.Abandoned("order-1", customer: Bob));
        await harness.AdvanceAsync(1.Hours());

        await harness.PublishAsync(Shop.Abandoned("order-2", customer: Bob));
        await harness.PublishAsync(new OrderPaid("order-1", 20m));

        (await ConversionAsync(harness)).StepId.Should().Be("push-reminder", "the first order's reminder earned its payment");
    }

    [Fact]
    public async Task AJourneyWithoutAGoal_CompletesRightAfterItsLastStep()
    {
        var journey = Journey.When<CheckoutAbandoned>().Named("no-goal").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .ExitWhen<OrderCancelled>(e => e.OrderId, x => x.NotAConversion())
            .After(5.Minutes()).Push("push-reminder", p => p.Body("x"))
            .Build();
        using var harness = new JourneyTestHarness(journey);

        await harness.PublishAsync(Shop.Abandoned(customer: Bob));
        await harness.AdvanceAsync(5.Minutes());

        var instance = (await harness.InstancesAsync("order-1")).Single();
        (instance.Status, instance.EndedAt).Should().Be((JourneyStatus.Completed, FakeClock.DefaultStart + 5.Minutes()));
    }
}

public sealed class WaitAtTheEndTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnAwaitedEventThatEndsTheJourney_ListensWithAGoal_OrCompletesWithout(bool hasGoal)
    {
        var builder = Journey.When<CartAbandoned>().Named("wait-last").CorrelateBy(e => e.CartId).ForCustomer(e => e.Customer);
        if (hasGoal)
        {
            builder = builder.ExitWhen<OrderPaid>(e => e.OrderId);
        }

        var journey = builder
            .Push("push-1", p => p.Body("x"))
            .Then().WaitFor<PaymentRetried>(e => e.CartId, 1.Hours(), "wait-retry").OnEvent(_ => { }).OnTimeout(p => p.Push("push-2", m => m.Body("y")))
            .Build();
        using var harness = new JourneyTestHarness(journey);
        await harness.PublishAsync(new CartAbandoned("cart-1", Shop.Alice, CheckoutStage.Payment, 10m));
        await harness.AdvanceAsync(10.Minutes());

        var resumed = await harness.PublishAsync(new PaymentRetried("cart-1"));

        resumed.Resumed.Should().ContainSingle();
        (await harness.InstancesAsync("cart-1")).Single().Status.Should().Be(hasGoal ? JourneyStatus.Active : JourneyStatus.Completed);
        await harness.AdvanceAsync(2.Days());
        harness.Sent.Select(s => s.StepId).Should().Equal("push-1");
        (await harness.InstancesAsync("cart-1")).Single().Status.Should().Be(JourneyStatus.Completed);
    }
}
