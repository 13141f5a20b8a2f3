using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Runtime;

/// <summary>
/// What one publication reports when it touches several journeys at once: every instance it ignored, ended, resumed
/// or suppressed, not only the last (each list of the result is filled as the publication goes).
/// </summary>
public sealed class PublishOutcomeTests
{
    private static JourneyDefinition Cart(string name) =>
        Journey.When<CartAbandoned>().Named(name).CorrelateBy(e => e.CartId).ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId)
            .After(1.Hours()).Push(p => p.Body("Your cart is waiting"))
            .Build();

    private static CartAbandoned Abandoned(string cartId) => new(cartId, Shop.Alice, CheckoutStage.Cart, 80m);

    [Fact]
    public async Task OneEvent_TouchingTwoJourneys_ReportsBothInstancesIgnoredThenBothEnded()
    {
        using var harness = new JourneyTestHarness(Cart("cart-a"), Cart("cart-b"));
        var started = await harness.PublishAsync(Abandoned("c-1"));
        started.Started.Should().HaveCount(2);

        // The same trigger again, while both are active: each journey's default re-entry policy ignores it.
        var again = await harness.PublishAsync(Abandoned("c-1"));
        var paid = await harness.PublishAsync(new OrderPaid("c-1", 80m));

        again.Ignored.Should().BeEquivalentTo(started.Started);
        paid.Ended.Should().BeEquivalentTo(started.Started);
    }

    [Fact]
    public async Task OneEvent_AwaitedByTwoJourneys_ReportsBothInstancesResumed()
    {
        static JourneyDefinition Waiting(string name) =>
            Journey.When<CartAbandoned>().Named(name).CorrelateBy(e => e.CartId).ForCustomer(e => e.Customer)
                .Push("nudge", p => p.Body("A problem with the payment?"))
                .WaitFor<PaymentRetried>(e => e.CartId, 2.Hours(), "wait-retry")
                    .OnEvent(p => p.After(30.Minutes()).Push("retried", x => x.Body("Almost there")))
                    .OnTimeout(p => p.Push("no-retry", x => x.Body("Need help?")))
                .Build();
        using var harness = new JourneyTestHarness(Waiting("wait-a"), Waiting("wait-b"));
        var started = await harness.PublishAsync(Abandoned("c-1"));
        await harness.AdvanceAsync(10.Minutes());

        var retried = await harness.PublishAsync(new PaymentRetried("c-1"));

        started.Started.Should().HaveCount(2);
        retried.Resumed.Should().BeEquivalentTo(started.Started);
    }

    [Fact]
    public async Task OneEvent_RefusedByTwoPausedJourneys_ReportsBothSuppressions()
    {
        using var harness = new JourneyTestHarness(Cart("cart-a"), Cart("cart-b"));
        await harness.Engine.PauseAsync("cart-a", admitNewInstances: false);
        await harness.Engine.PauseAsync("cart-b", admitNewInstances: false);

        var refused = await harness.PublishAsync(Abandoned("c-1"));

        refused.Started.Should().BeEmpty();
        refused.Suppressed.Select(s => (s.JourneyName, s.CorrelationKey)).Should().BeEquivalentTo(new[] { ("cart-a", "c-1"), ("cart-b", "c-1") });
    }
}
