using NodaTime;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Runtime;

/// <summary>
/// The router's rules at their edges, where a wrong comparison is a wrong send: what a refusal says, the cooldown's
/// last instant, equal priorities, the instances a start leaves alone, exit filters, and the payloads it refuses.
/// </summary>
public sealed class EventRouterTests
{
    private static readonly Instant T0 = FakeClock.DefaultStart;

    private static JourneyBuilder<CartAbandoned> Cart(string name = "cart") =>
        Journey.When<CartAbandoned>().Named(name).CorrelateBy(e => e.CartId).ForCustomer(e => e.Customer);

    private static CartAbandoned Abandoned(string cartId) => new(cartId, Shop.Alice, CheckoutStage.Cart, 80m);

    private static OrderUnpaid Unpaid(string orderId = "order-1") => new(orderId, Shop.Alice, "SPRING", 80m);

    private static JourneyBuilder<OrderUnpaid> Rescue() =>
        Journey.When<OrderUnpaid>().Named("payment-rescue").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    [Fact]
    public async Task ARememberedExit_RefusesTheTrigger_NamingTheExitAndUntilWhenItIsRemembered()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecoveryBuilder().RememberExitsFor(2.Days()).Build());
        await harness.PublishAsync(new OrderPaid("order-1", 10m));
        await harness.AdvanceAsync(1.Hours());

        var late = await harness.PublishAsync(Shop.Abandoned());

        const string Expected = "OrderPaid at 2026-01-05T09:00:00Z is remembered for this key (until 2026-01-07T09:00:00Z)";
        late.Started.Should().BeEmpty();
        late.Suppressed.Should().Equal(new SuppressedStart("checkout-recovery", "order-1", Expected));
        (await harness.TimelineAsync("order-1")).Should().ContainSingle().Which.Should().BeEquivalentTo(new { Kind = JourneyRecordKind.Refused, Detail = Expected });
    }

    [Fact]
    public async Task ARefusedTrigger_OfAJourneyWithAHoldout_IsPutInNoGroup()
    {
        // Every instance that enters is put in a group (holdout or journey); the one refused never entered.
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecoveryBuilder().Holdout(50).RememberExitsFor(2.Days()).Build());
        await harness.PublishAsync(new OrderPaid("order-1", 10m));

        var late = await harness.PublishAsync(Shop.Abandoned());

        late.Suppressed.Should().ContainSingle();
        var refused = (await harness.InstancesAsync("order-1")).Should().ContainSingle().Subject;
        refused.Status.Should().Be(JourneyStatus.Exited);
        refused.Variables.Should().NotContainKey("holdout");
    }

    [Fact]
    public async Task AnExitThatSaysWhenItHappened_IsRememberedFromThatInstant_AndATriggerThatSaysSoIsComparedWithIt()
    {
        var journey = Journey.When<AbandonedAt>().Named("cart").CorrelateBy(e => e.CartId).ForCustomer(_ => Shop.Alice)
            .OccurredAt(e => e.At)
            .ExitWhen<PaidAt>(e => e.CartId, exit => exit.OccurredAt(e => e.At))
            .RememberExitsFor(1.Days())
            .After(1.Hours()).Push(p => p.Body("x"))
            .Build();
        var untimed = Journey.When<CartAbandoned>().Named("untimed").CorrelateBy(e => e.CartId).ForCustomer(e => e.Customer)
            .ExitWhen<PaidAt>(e => e.CartId, exit => exit.OccurredAt(e => e.At))
            .RememberExitsFor(1.Days())
            .After(1.Hours()).Push(p => p.Body("x"))
            .Build();
        using var harness = new JourneyTestHarness(journey, untimed);
        await harness.PublishAsync(new PaidAt("cart-1", T0 - 10.Minutes()));

        var redelivered = await harness.PublishAsync(new AbandonedAt("cart-1", T0 - 20.Minutes()));
        var withoutInstant = await harness.PublishAsync(Abandoned("cart-1"));

        redelivered.Suppressed.Single().Reason.Should().Be(
            "PaidAt at 2026-01-05T08:50:00Z is remembered for this key, and the trigger happened before it (2026-01-05T08:40:00Z)");
        withoutInstant.Suppressed.Single().Reason.Should().Be("PaidAt at 2026-01-05T08:50:00Z is remembered for this key (until 2026-01-06T08:50:00Z)");
    }

    [Fact]
    public async Task Cooldown_EndsExactlyWhenItsPeriodHasPassed()
    {
        using var harness = new JourneyTestHarness(Cart().Cooldown(7.Days()).Push(p => p.Body("x")).Build());
        await harness.PublishAsync(Abandoned("cart-1"));

        await harness.AdvanceAsync(7.Days() - 1.Seconds());
        var justBefore = await harness.PublishAsync(Abandoned("cart-2"));
        await harness.AdvanceAsync(1.Seconds());
        var atTheEnd = await harness.PublishAsync(Abandoned("cart-3"));

        justBefore.Started.Should().BeEmpty();
        justBefore.Suppressed.Single().Reason.Should().StartWith("cooldown: the customer entered it 6d").And.EndWith("ago (cooldown 7d)");
        atTheEnd.Started.Should().ContainSingle("the customer entered 7 days ago, which is the cooldown, not within it");
    }

    [Fact]
    public async Task Cooldown_DoesNotApplyToTheSameKeysActiveInstance_WhichTheReentryPolicyHandles()
    {
        using var harness = new JourneyTestHarness(Cart().Cooldown(7.Days()).After(1.Hours()).Push(p => p.Body("x")).Build());
        var first = await harness.PublishAsync(Abandoned("cart-1"));

        var again = await harness.PublishAsync(Abandoned("cart-1"));

        again.Suppressed.Should().BeEmpty();
        again.Ignored.Should().Equal(first.Started);
        (await harness.TimelineAsync("cart-1")).Select(r => r.Kind).Should().Equal(JourneyRecordKind.Entered, JourneyRecordKind.ReentryIgnored);
    }

    [Fact]
    public async Task Priority_AnEqualPriority_Suppresses_AndAnUnrankedJourney_NeitherBlocksNorIsEnded()
    {
        var rescue = Rescue().Priority(5).After(10.Minutes()).Push(p => p.Body("rescue")).Build();
        var ranked = Cart("ranked").Priority(5).After(1.Hours()).Push(p => p.Body("ranked")).Build();
        using (var harness = new JourneyTestHarness(rescue, ranked))
        {
            await harness.PublishAsync(Abandoned("cart-1"));
            var blocked = await harness.PublishAsync(Unpaid());

            blocked.Started.Should().BeEmpty();
            blocked.Suppressed.Single().Reason.Should().Be("the customer is in journey 'ranked' of priority 5 (this one: 5)");
        }

        var unranked = Cart("unranked").After(1.Hours()).Push(p => p.Body("unranked")).Build();
        using (var harness = new JourneyTestHarness(rescue, unranked))
        {
            await harness.PublishAsync(Abandoned("cart-1"));
            var both = await harness.PublishAsync(Unpaid());
            await harness.AdvanceAsync(1.Days());

            both.Started.Should().ContainSingle();
            both.Ended.Should().BeEmpty();
            harness.Sent.Select(s => s.JourneyName).Should().Equal("payment-rescue", "unranked");
        }
    }

    [Fact]
    public async Task Priority_AnInstanceListeningAfterItsLastStep_NeitherBlocksALowerJourneyNorIsEndedByAHigherOne()
    {
        // The cart journey sends at once, then listens 24 h for its goal.
        var cart = Cart("cart").Priority(5).ExitWhen<CartUpdated>(e => e.CartId).Push(p => p.Body("cart")).Build();
        var lower = Rescue().Priority(1).After(10.Minutes()).Push(p => p.Body("lower")).Build();
        using (var harness = new JourneyTestHarness(cart, lower))
        {
            await harness.PublishAsync(Abandoned("cart-1"));
            await harness.AdvanceAsync(1.Minutes());

            var started = await harness.PublishAsync(Unpaid());

            (await harness.InstancesAsync("cart-1")).Single().IsListening.Should().BeTrue();
            started.Started.Should().ContainSingle();
            started.Suppressed.Should().BeEmpty();
        }

        var higher = Rescue().Priority(9).After(10.Minutes()).Push(p => p.Body("higher")).Build();
        using (var harness = new JourneyTestHarness(cart, higher))
        {
            await harness.PublishAsync(Abandoned("cart-1"));
            await harness.AdvanceAsync(1.Minutes());

            var started = await harness.PublishAsync(Unpaid());
            var converted = await harness.PublishAsync(new CartUpdated("cart-1"));

            started.Ended.Should().BeEmpty("the listening instance sends nothing more");
            converted.Ended.Should().ContainSingle();
            (await harness.InstancesAsync("cart-1")).Single().Status.Should().Be(JourneyStatus.Converted);
        }
    }

    [Fact]
    public async Task LatestPerCustomer_LeavesAnOlderInstanceThatOnlyListens()
    {
        var journey = Cart().LatestPerCustomer().ExitWhen<CartUpdated>(e => e.CartId).Push(p => p.Body("{{event.CartId}}")).Build();
        using var harness = new JourneyTestHarness(journey);
        await harness.PublishAsync(Abandoned("cart-1"));
        await harness.AdvanceAsync(1.Minutes());

        var second = await harness.PublishAsync(Abandoned("cart-2"));

        second.Started.Should().ContainSingle();
        second.Ended.Should().BeEmpty();
        (await harness.InstancesAsync("cart-1")).Single().IsListening.Should().BeTrue();
    }

    [Fact]
    public async Task AnExitFilter_ThatRejectsTheEvent_EndsNothing_AndAnExitThatIsNotTheGoal_EndsAsExitedWithItsValue()
    {
        var journey = TestJourneys.CheckoutRecoveryBuilder()
            .ExitWhen<OrderCancelled>(e => e.OrderId, exit => exit.Where(e => !e.OrderId.EndsWith("-kept", StringComparison.Ordinal)).NotAConversion().WithValue(_ => 3m))
            .Build();
        using var harness = new JourneyTestHarness(journey);
        await harness.PublishAsync(Shop.Abandoned("order-kept"));
        await harness.PublishAsync(Shop.Abandoned("order-2"));

        var filtered = await harness.PublishAsync(new OrderCancelled("order-kept"));
        var cancelled = await harness.PublishAsync(new OrderCancelled("order-2"));

        filtered.Ended.Should().BeEmpty();
        (await harness.InstancesAsync("order-kept")).Single().IsActive.Should().BeTrue();
        cancelled.Ended.Should().ContainSingle();
        var ended = (await harness.InstancesAsync("order-2")).Single();
        ended.Status.Should().Be(JourneyStatus.Exited);
        ended.EndReason.Should().Be("OrderCancelled");
        (await harness.TimelineAsync("order-2")).Last().Should().BeEquivalentTo(new { Kind = JourneyRecordKind.Exited, Detail = "OrderCancelled", Value = 3m });
        journey.Exits.Select(e => e.ToString()).Should().Equal("OrderPaid (conversion)", "OrderCancelled (exit)");
    }

    [Fact]
    public async Task APayload_WithTheTextOfAnEscapedNul_IsKept_AndOneWithANulInAKey_IsRefused()
    {
        var journey = Journey.When<Tagged>().Named("tagged").CorrelateBy(e => e.Id).ForCustomer(_ => Shop.Alice).Push(p => p.Body("x")).Build();
        using var harness = new JourneyTestHarness(journey);

        var backslash = await harness.PublishAsync(new Tagged("t-1", new Dictionary<string, string> { ["note"] = "\\u0000 is how JSON writes NUL" }));
        var nulKey = () => harness.PublishAsync(new Tagged("t-2", new Dictionary<string, string> { ["a\0b"] = "x" }));

        backslash.Started.Should().ContainSingle();
        (await nulKey.Should().ThrowAsync<JourneyEventException>())
            .WithMessage("Journey 'tagged' cannot handle Tagged: a string in the event contains the NUL character, which durable stores cannot keep");
    }

    [Fact]
    public async Task AStart_ThatKeepsMeetingAnInstanceThatIsGoneWhenLookedFor_GivesUpAfterThreeAttempts()
    {
        var store = new EverActiveStore();
        using var harness = new JourneyTestHarness([Cart().Push(p => p.Body("x")).Build()], new JourneyTestHarnessOptions { Store = store });

        var publish = () => harness.PublishAsync(Abandoned("cart-1"));

        (await publish.Should().ThrowAsync<JourneyEventException>())
            .WithMessage("Journey 'cart' cannot handle CartAbandoned: the instance for key 'cart-1' could not be started: its active instance kept ending and starting again");
        store.Starts.Should().Be(3);
    }

    private sealed record AbandonedAt(string CartId, Instant At);

    private sealed record PaidAt(string CartId, Instant At);

    private sealed record Tagged(string Id, Dictionary<string, string> Tags);

    /// <summary>A store where the start always meets an active instance, which has always ended when it is updated.</summary>
    private sealed class EverActiveStore : DelegatingStore
    {
        public int Starts { get; private set; }

        public override ValueTask<StartOutcome> TryStartAsync(JourneyStart start, CancellationToken cancellationToken)
        {
            Starts++;
            return ValueTask.FromResult(StartOutcome.AlreadyActive(JourneyInstanceId.New()));
        }

        public override ValueTask<JourneyTransition?> UpdateActiveAsync(string journeyName, string correlationKey, Func<JourneyInstance, JourneyTransition?> update, CancellationToken cancellationToken) =>
            ValueTask.FromResult<JourneyTransition?>(null);
    }
}
