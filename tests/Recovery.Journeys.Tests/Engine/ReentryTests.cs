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

public sealed class ReentryTests
{
    private static JourneyBuilder<CartAbandoned> Cart(string name = "cart") =>
        Journey.When<CartAbandoned>().Named(name).CorrelateBy(e => e.CartId).ForCustomer(e => e.Customer);

    private static CartAbandoned Abandoned(string cartId, Recovery.Journeys.Customers.Customer? customer = null) => new(cartId, customer ?? Shop.Alice, CheckoutStage.Cart, 80m);

    [Fact]
    public async Task LatestPerCustomer_ANewerCartSupersedesTheOlderOne_OneReminderAboutTheLatest()
    {
        using var harness = new JourneyTestHarness(Cart().LatestPerCustomer().After(1.Hours()).Push(p => p.Body("{{event.CartId}}")).Build());

        var first = await harness.PublishAsync(Abandoned("cart-1"));
        await harness.AdvanceAsync(20.Minutes());
        var second = await harness.PublishAsync(Abandoned("cart-2"));
        await harness.PublishAsync(Abandoned("cart-bob", Shop.Alice with { Id = "cust-bob" }));
        await harness.AdvanceAsync(1.Days());

        second.Ended.Should().Equal(first.Started);
        harness.SentOf<Channels.PushMessage>().Select(s => s.Message.Body).Should().BeEquivalentTo("cart-2", "cart-bob");
        (await harness.InstancesAsync("cart-1")).Single().EndReason.Should().Be("superseded by a newer CartAbandoned (cart-2)");
    }

    [Fact]
    public async Task RestartWaitOn_NewCartActivityRestartsTheWait_Debounce()
    {
        using var harness = new JourneyTestHarness(Cart().RestartWaitOn<CartUpdated>(e => e.CartId).After(1.Hours()).Push(p => p.Body("x")).Build());

        await harness.PublishAsync(Abandoned("cart-1"));
        await harness.AdvanceAsync(40.Minutes());
        var restarted = await harness.PublishAsync(new CartUpdated("cart-1"));
        await harness.AdvanceAsync(50.Minutes());
        await harness.PublishAsync(new CartUpdated("cart-1"));
        await harness.AdvanceAsync(1.Days());

        restarted.WaitsRestarted.Should().ContainSingle();
        harness.Sent.Single().At.Should().Be(FakeClock.DefaultStart + 40.Minutes() + 50.Minutes() + 1.Hours());
        (await harness.TimelineAsync("cart-1")).Count(r => r.Kind == JourneyRecordKind.WaitRestarted).Should().Be(2);
    }

    [Fact]
    public async Task RestartWaitOn_DoesNotTouchARetry()
    {
        var calls = 0;
        var failing = new ScriptedChannel<Channels.PushMessage>((_, _) => ++calls == 1 ? throw new TimeoutException("slow") : ValueTask.FromResult(Ports.DeliveryReceipt.Sent()));
        using var harness = new JourneyTestHarness(
            [Cart().RestartWaitOn<CartUpdated>(e => e.CartId).Push(p => p.Body("x")).Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(failing) });

        await harness.PublishAsync(Abandoned("cart-1"));
        var during = await harness.PublishAsync(new CartUpdated("cart-1"));
        await harness.AdvanceAsync(1.Hours());

        during.WaitsRestarted.Should().BeEmpty();
        harness.Sent.Single().At.Should().Be(FakeClock.DefaultStart + 1.Minutes());
    }

    [Fact]
    public async Task Cooldown_ACustomerWhoEnteredRecently_DoesNotEnterAgain()
    {
        using var harness = new JourneyTestHarness(Cart().Cooldown(7.Days()).Push(p => p.Body("x")).Build());

        await harness.PublishAsync(Abandoned("cart-1"));
        await harness.AdvanceAsync(2.Days());
        var soon = await harness.PublishAsync(Abandoned("cart-2"));
        await harness.AdvanceAsync(6.Days());
        var later = await harness.PublishAsync(Abandoned("cart-3"));

        soon.Started.Should().BeEmpty();
        soon.Suppressed.Should().ContainSingle().Which.Should().Be(new Recovery.Journeys.Runtime.SuppressedStart("cart", "cart-2", "cooldown: the customer entered it 2d ago (cooldown 7d)"));
        later.Started.Should().ContainSingle();
        harness.Sent.Should().HaveCount(2);
    }

    [Fact]
    public async Task Priority_AHigherPriorityJourneyPreemptsALowerOne_AndALowerOneIsSuppressed()
    {
        var paymentRescue = Journey.When<OrderUnpaid>().Named("payment-rescue").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .Priority(10).After(10.Minutes()).Email(m => m.Subject("rescue").TextBody("x")).Build();
        var cartReminder = Cart("cart-reminder").Priority(5).After(1.Hours()).Push(p => p.Body("cart")).Build();
        using var harness = new JourneyTestHarness(paymentRescue, cartReminder);

        await harness.PublishAsync(Abandoned("cart-1"));
        var rescue = await harness.PublishAsync(new OrderUnpaid("order-1", Shop.Alice, "SPRING", 80m));
        var cartAgain = await harness.PublishAsync(Abandoned("cart-2"));
        await harness.AdvanceAsync(1.Days());

        rescue.Started.Should().ContainSingle();
        rescue.Ended.Should().ContainSingle();
        cartAgain.Suppressed.Should().ContainSingle().Which.Reason.Should().Be("the customer is in journey 'payment-rescue' of priority 10 (this one: 5)");
        harness.Sent.Select(s => s.JourneyName).Should().Equal("payment-rescue");
        (await harness.InstancesAsync("cart-1")).Single().EndReason.Should().Be("preempted by journey 'payment-rescue'");
    }

    [Fact]
    public async Task Priority_OneEventStartingTwoJourneys_StartsOnlyTheHigher()
    {
        var high = Cart("high").Priority(2).Push(p => p.Body("high")).Build();
        var low = Cart("low").Priority(1).Push(p => p.Body("low")).Build();
        var unranked = Cart("unranked").Push(p => p.Body("unranked")).Build();
        using var harness = new JourneyTestHarness(low, unranked, high);

        var result = await harness.PublishAsync(Abandoned("cart-1"));

        result.Started.Should().HaveCount(2);
        result.Suppressed.Select(s => s.JourneyName).Should().Equal("low");
        harness.Sent.Select(s => s.JourneyName).Should().BeEquivalentTo("high", "unranked");
    }

    [Fact]
    public void CustomerRules_WithoutACustomer_Fail() =>
        FluentActions.Invoking(() => Journey.When<CartAbandoned>().Named("x").CorrelateBy(e => e.CartId).Cooldown(1.Days()).Do((_, _) => ValueTask.CompletedTask).Build())
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'x': its customer rules*need a customer*");
}
