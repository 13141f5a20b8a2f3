using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests;

public sealed class ControlTests
{
    private static JourneyBuilder<CartAbandoned> Cart() =>
        Journey.When<CartAbandoned>().Named("cart").CorrelateBy(e => e.CartId).ForCustomer(e => e.Customer);

    private static CartAbandoned Abandoned(string cartId = "cart-1", CheckoutStage stage = CheckoutStage.Cart, Recovery.Journeys.Customers.Customer? customer = null) =>
        new(cartId, customer ?? Shop.Alice, stage, 80m);

    private static Duration SinceStart(SentMessage sent) => sent.At - FakeClock.DefaultStart;

    /// <summary>Seed 001: a payment problem is reminded almost at once, an early-stage cart after two days.</summary>
    private static JourneyDefinition StageBased() => Cart()
        .If(c => c.Event.Stage == CheckoutStage.Payment, "payment-problem")
            .Then(p => p.After(5.Minutes()).Email("help-with-payment", m => m.Subject("Vous avez rencontré un problème lors de votre commande ?").TextBody("x")))
            .Else(p => p.After(2.Days()).Email("cart-waiting", m => m.Subject("Votre panier vous attend").TextBody("x")))
        .Then().After(1.Days()).Push("last-call", p => p.Body("Dernier rappel"))
        .Build();

    [Fact]
    public async Task If_ThenPath_RunsWhenTheConditionHolds_ThenTheJourneyGoesOn()
    {
        using var harness = new JourneyTestHarness(StageBased());

        await harness.PublishAsync(Abandoned(stage: CheckoutStage.Payment));
        await harness.AdvanceAsync(5.Days());

        harness.Sent.Select(s => (s.StepId, SinceStart(s))).Should().Equal(("help-with-payment", 5.Minutes()), ("last-call", 1.Days() + 5.Minutes()));
        (await harness.TimelineAsync("cart-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Branched && r.StepId == "payment-problem" && r.Detail == "then");
    }

    [Fact]
    public async Task If_ElsePath_RunsWhenTheConditionDoesNotHold()
    {
        using var harness = new JourneyTestHarness(StageBased());

        await harness.PublishAsync(Abandoned(stage: CheckoutStage.Cart));
        await harness.AdvanceAsync(5.Days());

        harness.Sent.Select(s => (s.StepId, SinceStart(s))).Should().Equal(("cart-waiting", 2.Days()), ("last-call", 3.Days()));
    }

    [Fact]
    public async Task If_OnTheCustomerAndJourneyState_AndEndIfWithoutElse()
    {
        using var harness = new JourneyTestHarness(Cart()
            .Push("first", p => p.Body("a"))
            .If(c => c.Customer!.Culture == "fr-FR" && c.Elapsed >= 1.Hours())
                .Then(p => p.Sms("french-sms", s => s.Text("b")))
                .EndIf()
            .After(1.Hours()).Push("last", p => p.Body("c"))
            .Build());

        await harness.PublishAsync(Abandoned("fr"));
        await harness.PublishAsync(Abandoned("en", customer: Shop.Alice with { Id = "cust-en", Culture = "en-GB" }));
        await harness.AdvanceAsync(1.Days());

        harness.Sent.Where(s => s.Recipient.Id == "cust-alice").Select(s => s.StepId).Should().Equal("first", "last");
        harness.Sent.Where(s => s.Recipient.Id == "cust-en").Select(s => s.StepId).Should().Equal("first", "last");
    }

    [Fact]
    public async Task If_WithATiming_EvaluatesTheConditionWhenDue()
    {
        var stillInStock = true;
        using var harness = new JourneyTestHarness(Cart()
            .After(1.Hours()).If(_ => stillInStock, "in-stock")
                .Then(p => p.Push("stock", p => p.Body("in stock")))
                .Else(p => p.Push("similar", p => p.Body("similar items")))
            .Build());

        await harness.PublishAsync(Abandoned());
        stillInStock = false;
        await harness.AdvanceAsync(2.Hours());

        harness.Sent.Select(s => (s.StepId, SinceStart(s))).Should().Equal(("similar", 1.Hours()));
    }

    [Fact]
    public async Task If_ConditionThatThrows_IsRecordedAndTakesTheElsePath()
    {
        using var harness = new JourneyTestHarness(Cart()
            .If(_ => throw new InvalidOperationException("no stock service"))
                .Then(p => p.Push("then", p => p.Body("a")))
                .Else(p => p.Push("else", p => p.Body("b")))
            .Build());

        await harness.PublishAsync(Abandoned());

        harness.Sent.Select(s => s.StepId).Should().Equal("else");
        (await harness.TimelineAsync("cart-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Failed && r.Detail == "the condition threw InvalidOperationException: no stock service");
    }

    [Fact]
    public async Task Branches_Nest()
    {
        using var harness = new JourneyTestHarness(Cart()
            .If(c => c.Event.Total > 50)
                .Then(p => p
                    .If(c => c.Event.Stage == CheckoutStage.Payment)
                        .Then(q => q.Push("big-payment", x => x.Body("a")))
                        .Else(q => q.Push("big-cart", x => x.Body("b"))))
                .Else(p => p.Push("small", x => x.Body("c")))
            .Push("after", x => x.Body("d"))
            .Build());

        await harness.PublishAsync(Abandoned("1", CheckoutStage.Payment));
        await harness.PublishAsync(Abandoned("2", CheckoutStage.Shipping));
        await harness.PublishAsync(Abandoned("3") with { Total = 10 });

        harness.Sent.Select(s => s.StepId).Should().Equal("big-payment", "after", "big-cart", "after", "small", "after");
    }

    private static JourneyDefinition PaymentRetry() => Cart()
        .Push("nudge", p => p.Body("Un souci de paiement ?"))
        .WaitFor<PaymentRetried>(e => e.CartId, 2.Hours(), "wait-retry")
            .OnEvent(p => p.After(30.Minutes()).Push("retried-but-unpaid", x => x.Body("Vous y êtes presque")))
            .OnTimeout(p => p.Email("no-retry", m => m.Subject("Besoin d'aide ?").TextBody("x")))
        .Push("done", p => p.Body("fin"))
        .Build();

    [Fact]
    public async Task WaitFor_EventInTime_TakesTheEventPath_TimedFromItsArrival()
    {
        using var harness = new JourneyTestHarness(PaymentRetry());

        await harness.PublishAsync(Abandoned());
        await harness.AdvanceAsync(45.Minutes());
        var resumed = await harness.PublishAsync(new PaymentRetried("cart-1"));
        await harness.AdvanceAsync(1.Days());

        resumed.Resumed.Should().ContainSingle();
        harness.Sent.Select(s => (s.StepId, SinceStart(s))).Should().Equal(
            ("nudge", Duration.Zero), ("retried-but-unpaid", 75.Minutes()), ("done", 75.Minutes()));
        (await harness.TimelineAsync("cart-1")).Select(r => r.Kind).Should().ContainInOrder(JourneyRecordKind.Waiting, JourneyRecordKind.Resumed);
    }

    [Fact]
    public async Task WaitFor_NoEventInTime_TakesTheTimeoutPath()
    {
        using var harness = new JourneyTestHarness(PaymentRetry());

        await harness.PublishAsync(Abandoned());
        await harness.AdvanceAsync(1.Days());
        var late = await harness.PublishAsync(new PaymentRetried("cart-1"));

        late.Resumed.Should().BeEmpty();
        harness.Sent.Select(s => (s.StepId, SinceStart(s))).Should().Equal(("nudge", Duration.Zero), ("no-retry", 2.Hours()), ("done", 2.Hours()));
        (await harness.TimelineAsync("cart-1")).Should().Contain(r => r.Kind == JourneyRecordKind.TimedOut && r.Detail == "PaymentRetried");
    }

    [Fact]
    public async Task WaitFor_EventBeforeTheWaitBegins_DoesNotCount()
    {
        using var harness = new JourneyTestHarness(Cart()
            .After(1.Hours()).WaitFor<PaymentRetried>(e => e.CartId, 1.Hours())
                .OnEvent(p => p.Push("retried", x => x.Body("a")))
                .OnTimeout(p => p.Push("timeout", x => x.Body("b")))
            .Build());

        await harness.PublishAsync(Abandoned());
        var early = await harness.PublishAsync(new PaymentRetried("cart-1"));
        await harness.AdvanceAsync(1.Days());

        early.IsHandled.Should().BeTrue();
        early.Resumed.Should().BeEmpty();
        harness.Sent.Select(s => (s.StepId, SinceStart(s))).Should().Equal(("timeout", 2.Hours()));
    }

    [Fact]
    public void Branch_And_Wait_ShowInTheDefinitionGraph()
    {
        var journey = PaymentRetry();

        journey.Steps.Select(s => s.Id).Should().Equal("nudge", "wait-retry", "retried-but-unpaid", "no-retry", "done");
        journey.FindStep("wait-retry")!.Transitions.Should().Equal(new StepTransition("event", "retried-but-unpaid"), new StepTransition("timeout", "no-retry"));
        journey.FindStep("retried-but-unpaid")!.NextStepId.Should().Be("done");
        journey.FindStep("no-retry")!.NextStepId.Should().Be("done");
        journey.ToMermaid().Should().Contain("s1{\"wait-retry<br/>wait\"}")
            .And.Contain("s1 -->|\"event: +30m after previous step\"| s2")
            .And.Contain("s1 -->|\"timeout\"| s3")
            .And.Contain("s2 --> s4");
        journey.Describe().Should().Contain("wait-retry (wait, immediately) event -> retried-but-unpaid, timeout -> no-retry");
    }

    [Fact]
    public void Branch_Misuse_FailsClearly()
    {
        FluentActions.Invoking(() => Cart().If(_ => true).Else(p => p.Push(x => x.Body("a"))))
            .Should().Throw<InvalidOperationException>().WithMessage("Give the branch's Then path before its Else path.");
        FluentActions.Invoking(() => Cart().If(_ => true).Then(p => p.Push(x => x.Body("a")).After(1.Hours())))
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'cart', step '#2': After(1h) at the end of a path is not followed by a step");
        FluentActions.Invoking(() => Cart().WaitFor<PaymentRetried>(e => e.CartId, Duration.Zero, "w"))
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'cart', step 'w': the wait's timeout must be positive, was 0s");
        FluentActions.Invoking(() => Cart().Push("same", p => p.Body("a")).If(_ => true).Then(p => p.Push("same", x => x.Body("b"))))
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'cart', step 'same': another step already has this id*");
    }

    [Fact]
    public async Task AtLocalTime_WaitsForTheNextLocalTimeInTheCustomersZone()
    {
        using var harness = new JourneyTestHarness(Cart()
            .AtLocalTime(new LocalTime(10, 0)).Push("morning", p => p.Body("a"))
            .Then().AtLocalTime(new LocalTime(10, 0), notBefore: 1.Hours()).Push("next-morning", p => p.Body("b"))
            .Build());

        // 09:00 UTC is 10:00 in Paris (winter), and 04:00 in New York.
        await harness.PublishAsync(Abandoned("paris"));
        await harness.PublishAsync(Abandoned("new-york", customer: Shop.Alice with { Id = "ny", TimeZone = "America/New_York" }));
        await harness.AdvanceAsync(3.Days());

        harness.Sent.Where(s => s.Recipient.Id == "cust-alice").Select(s => s.At).Should().Equal(Instant.FromUtc(2026, 1, 5, 9, 0), Instant.FromUtc(2026, 1, 6, 9, 0));
        harness.Sent.Where(s => s.Recipient.Id == "ny").Select(s => s.At).Should().Equal(Instant.FromUtc(2026, 1, 5, 15, 0), Instant.FromUtc(2026, 1, 6, 15, 0));
        (await harness.InstancesAsync("new-york")).Single().TimeZone.Should().Be("America/New_York");
    }
}
