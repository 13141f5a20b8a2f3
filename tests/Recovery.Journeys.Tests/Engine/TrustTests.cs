using System.Collections.Concurrent;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;
using Recovery.Journeys.Timing;

namespace Recovery.Journeys.Tests;

/// <summary>
/// Never remind a paid customer, never stall or lose a journey: events out of order or at the same moment, exit
/// actions, the host's send condition, atomic restarts and late steps, on the in-memory store and the fake clock.
/// (The store side of each guarantee is in the conformance kit, run against every store.)
/// </summary>
public sealed class TrustTests
{
    private const int Orders = 300;

    private static JourneyDefinition S1() => TestJourneys.CheckoutRecovery();

    [Fact]
    public async Task PaymentPublishedBeforeItsAbandonment_SendsNothing_AndTheRefusalIsRecorded()
    {
        using var harness = new JourneyTestHarness(S1());

        for (var i = 0; i < Orders; i++)
        {
            await harness.PublishAsync(new OrderPaid($"order-{i}", 49.90m));
            var late = await harness.PublishAsync(Shop.Abandoned($"order-{i}"));
            late.Started.Should().BeEmpty();
            late.Suppressed.Should().ContainSingle().Which.Reason.Should().StartWith("OrderPaid at ");
        }

        await harness.AdvanceAsync(2.Days());

        harness.Sent.Should().BeEmpty();
        var refused = await harness.TimelineAsync("order-7");
        refused.Should().ContainSingle().Which.Kind.Should().Be(JourneyRecordKind.Refused);
        var report = await harness.Engine.ReportAsync("checkout-recovery");
        report.Refused.Should().Be(Orders);
        report.Entered.Should().Be(0);
    }

    [Fact]
    public async Task TriggerAndPaymentPublishedTogether_InEitherOrder_NoReminderReachesAPaidOrder()
    {
        var raced = new RaceCounts();
        for (var run = 0; run < 10; run++)
        {
            using var harness = new JourneyTestHarness(S1());
            await Task.WhenAll(Enumerable.Range(0, Orders).SelectMany(i => new[]
            {
                Task.Run(() => harness.Engine.PublishAsync(Shop.Abandoned($"order-{i}")).AsTask()),
                Task.Run(() => harness.Engine.PublishAsync(new OrderPaid($"order-{i}", 49.90m)).AsTask()),
            }));
            await harness.AdvanceAsync(2.Days());

            harness.Sent.Should().BeEmpty("every order was paid");
            foreach (var instance in await harness.Engine.FindInstancesAsync(new JourneyInstanceQuery(JourneyName: "checkout-recovery")))
            {
                raced.Count(instance.Status == JourneyStatus.Converted ? "started, then ended by the payment" : "refused: the payment was remembered");
            }
        }

        // Both orders happened, many times: the race raced.
        raced.Of("started, then ended by the payment").Should().BePositive();
        raced.Of("refused: the payment was remembered").Should().BePositive();
        raced.Total.Should().Be(10 * Orders);
    }

    [Fact]
    public async Task OccurredAt_RefusesTriggersThatHappenedBeforeThePayment_AndStaleOnes_AdmitsNewerOnes()
    {
        var journey = Journey.When<CartAbandonedAt>().Named("cart").CorrelateBy(e => e.CartId).ForCustomer(_ => Shop.Alice)
            .OccurredAt(e => e.At, maxAge: 6.Hours())
            .ExitWhen<CartPaidAt>(e => e.CartId, exit => exit.OccurredAt(e => e.At))
            .After(1.Hours()).Push(p => p.Body("x"))
            .Build();
        using var harness = new JourneyTestHarness(journey);
        var now = harness.Clock.Now;
        await harness.PublishAsync(new CartPaidAt("cart-1", now - 10.Minutes()));

        var redelivered = await harness.PublishAsync(new CartAbandonedAt("cart-1", now - 20.Minutes()));
        var stale = await harness.PublishAsync(new CartAbandonedAt("cart-2", now - 7.Hours()));
        var newer = await harness.PublishAsync(new CartAbandonedAt("cart-1", now - 5.Minutes()));

        redelivered.Started.Should().BeEmpty();
        redelivered.Suppressed.Single().Reason.Should().Contain("happened before it");
        stale.Started.Should().BeEmpty();
        stale.Suppressed.Single().Reason.Should().Be("stale: the trigger happened 7h before it arrived (at most 6h)");
        newer.Started.Should().ContainSingle("a cart abandoned after its last payment is a new one");
    }

    [Fact]
    public async Task RememberedExit_Expires_AndZeroRemembersNothing()
    {
        using var remembers = new JourneyTestHarness(TestJourneys.CheckoutRecoveryBuilder().RememberExitsFor(3.Days()).Build());
        using var forgets = new JourneyTestHarness(TestJourneys.CheckoutRecoveryBuilder().RememberExitsFor(Duration.Zero).Build());

        foreach (var harness in new[] { remembers, forgets })
        {
            await harness.PublishAsync(new OrderPaid("order-1", 10m));
        }

        (await forgets.PublishAsync(Shop.Abandoned())).Started.Should().ContainSingle();
        (await remembers.PublishAsync(Shop.Abandoned())).Started.Should().BeEmpty();
        await remembers.AdvanceAsync(3.Days());
        (await remembers.PublishAsync(Shop.Abandoned())).Started.Should().ContainSingle();
        TestJourneys.CheckoutRecovery().ExitMemory.Should().Be(Duration.FromDays(7), "by default the attribution window (24 h) or 7 days, the longer");
    }

    [Fact]
    public async Task ConcurrentRestarts_LeaveExactlyOneActiveInstance_AndNoExceptionReachesThePublisher()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecoveryBuilder().OnReentry(ReentryPolicy.Restart).Build());
        await harness.PublishAsync(Shop.Abandoned());

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => harness.Engine.PublishAsync(Shop.Abandoned()).AsTask())));

        results.Should().OnlyContain(r => r.Started.Count == 1);
        var instances = await harness.InstancesAsync("order-1");
        instances.Should().HaveCount(65);
        instances.Where(i => i.IsActive).Should().ContainSingle();
        instances.Where(i => !i.IsActive).Should().OnlyContain(i => i.EndReason == "restarted by a new CheckoutAbandoned");
    }

    [Fact]
    public async Task ExitActions_S5_LeaveTheListAndRevokeTheCoupon_AtPayment_OnceOnly()
    {
        var coupons = new RecordingCouponService();
        using var harness = new JourneyTestHarness([UnpaidOrderCoupon()], new JourneyTestHarnessOptions { Coupons = coupons });
        var start = harness.Clock.Now;

        await harness.PublishAsync(new OrderUnpaid("order-1", Shop.Alice, "formation-excel", 199m));
        await harness.AdvanceAsync(2.Hours());
        await harness.PublishAsync(new OrderPaid("order-1", 199m));
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Select(s => (s.StepId, s.At - start)).Should().Equal(
            ("add-to-list", 30.Minutes()),
            ("coupon-email", 30.Minutes()),
            ("leave-list", 2.Hours()));
        harness.SentOf<CrmListUpdate>().Select(s => s.Message).Should().Equal(
            new CrmListUpdate("coupon-eligible", MembershipChange.Add), new CrmListUpdate("coupon-eligible", MembershipChange.Remove));
        coupons.Revoked.Should().ContainSingle().Which.Should().EndWith(":revoke");
        (await harness.TimelineAsync("order-1")).Single(r => r.Kind == JourneyRecordKind.CouponRevoked).At.Should().Be(start + 2.Hours());
        var instance = (await harness.InstancesAsync("order-1")).Single();
        instance.Status.Should().Be(JourneyStatus.Converted);
        instance.WakeUpAt.Should().BeNull();
        (await harness.TimelineAsync("order-1")).Select(r => (r.Kind, r.StepId)).Should().EndWith(
            [(JourneyRecordKind.Converted, "coupon-email"), (JourneyRecordKind.Sent, "leave-list"), (JourneyRecordKind.CouponRevoked, "revoke")]);
    }

    [Fact]
    public async Task ExitActions_S5_RunWhenTheJourneyCompletesUnpaid_After24Hours()
    {
        var coupons = new RecordingCouponService();
        using var harness = new JourneyTestHarness([UnpaidOrderCoupon()], new JourneyTestHarnessOptions { Coupons = coupons });
        var start = harness.Clock.Now;

        await harness.PublishAsync(new OrderUnpaid("order-1", Shop.Alice, "formation-excel", 199m));
        await harness.AdvanceAsync(3.Days());

        harness.SentOf<CrmListUpdate>().Select(s => (s.Message.Change, s.At - start)).Should().Equal(
            (MembershipChange.Add, 30.Minutes()), (MembershipChange.Remove, 24.Hours()));
        coupons.Revoked.Should().ContainSingle();
        (await harness.TimelineAsync("order-1")).Single(r => r.Kind == JourneyRecordKind.CouponRevoked).At.Should().Be(start + 24.Hours());
        (await harness.InstancesAsync("order-1")).Single().Status.Should().Be(JourneyStatus.Completed);
    }

    [Fact]
    public async Task ExitActions_S3_RetargetingStopsAtPurchase_AndAHoldoutCustomerIsNeverTouched()
    {
        var journey = Journey.When<CheckoutAbandoned>().Named("retargeting").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId)
            .Holdout(50)
            .AddToAudience("abandoned-checkouts", "join-audience")
            .Then().After(1.Hours()).Email("email", m => m.Subject("Votre panier").TextBody("Bonjour"))
            .OnExit(x => x.RemoveFromAudience("abandoned-checkouts", "leave-audience"))
            .Build();
        var customers = Enumerable.Range(0, 40).Select(i => Shop.Alice with { Id = $"customer-{i}" }).ToList();
        var held = customers.Where(c => journey.IsInHoldout(c.Id)).ToList();
        held.Should().NotBeEmpty().And.HaveCountLessThan(customers.Count);
        using var harness = new JourneyTestHarness(journey);

        foreach (var customer in customers)
        {
            await harness.PublishAsync(Shop.Abandoned($"order-{customer.Id}", customer: customer));
        }

        await harness.AdvanceAsync(30.Minutes());
        foreach (var customer in customers)
        {
            await harness.PublishAsync(new OrderPaid($"order-{customer.Id}", 10m));
        }

        await harness.AdvanceAsync(2.Days());

        var audience = harness.SentOf<AudienceUpdate>();
        audience.Should().HaveCount(2 * (customers.Count - held.Count));
        audience.Should().NotContain(a => held.Any(h => h.Id == a.Recipient.Id), "the holdout is never added, so never removed");
        audience.Where(a => a.Message.Change == MembershipChange.Remove).Should().OnlyContain(a => a.At == harness.Clock.Now - 2.Days(), "removed at the purchase");
        harness.SentOf<EmailMessage>().Should().BeEmpty("every order was paid before the e-mail");
    }

    [Fact]
    public async Task ExitAction_ThatFailsTransiently_IsRetriedWithTheSameKey()
    {
        var failures = 2;
        var removals = new ConcurrentQueue<string>();
        var lists = new ScriptedChannel<CrmListUpdate>((delivery, _) =>
        {
            if (delivery.Message.Change == MembershipChange.Remove && Interlocked.Decrement(ref failures) >= 0)
            {
                throw new TimeoutException("CRM busy");
            }

            if (delivery.Message.Change == MembershipChange.Remove)
            {
                removals.Enqueue(delivery.IdempotencyKey);
            }

            return ValueTask.FromResult(DeliveryReceipt.Sent());
        });
        using var harness = new JourneyTestHarness([UnpaidOrderCoupon()], new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(lists) });

        await harness.PublishAsync(new OrderUnpaid("order-1", Shop.Alice, "formation-excel", 199m));
        await harness.AdvanceAsync(1.Hours());
        await harness.PublishAsync(new OrderPaid("order-1", 199m));
        await harness.AdvanceAsync(1.Days());

        removals.Should().ContainSingle().Which.Should().EndWith(":leave-list");
        (await harness.TimelineAsync("order-1")).Count(r => r.Kind == JourneyRecordKind.RetryScheduled && r.StepId == "leave-list").Should().Be(2);
    }

    [Fact]
    public async Task SendOnlyWhile_AFalseAnswer_SendsNothing_AndConvertsTheInstance()
    {
        var paid = new ConcurrentDictionary<string, bool>();
        var journey = TestJourneys.CheckoutRecoveryBuilder()
            .SendOnlyWhile((c, _) => ValueTask.FromResult(!paid.ContainsKey(c.Event.OrderId)))
            .Build();
        using var harness = new JourneyTestHarness(journey);

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(10.Minutes());
        paid["order-1"] = true; // the payment event was lost; the shop's database knows
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Select(s => s.StepId).Should().Equal("push-reminder");
        var instance = (await harness.InstancesAsync("order-1")).Single();
        instance.Status.Should().Be(JourneyStatus.Converted);
        instance.EndReason.Should().Be("SendOnlyWhile: the condition no longer holds");
    }

    [Fact]
    public async Task SendOnlyWhile_ThatThrows_IsRetried_AndNeverSendsWhileTheAnswerIsUnknown()
    {
        var calls = 0;
        var journey = TestJourneys.CheckoutRecoveryBuilder()
            .SendOnlyWhile((_, _) => Interlocked.Increment(ref calls) <= 2 ? throw new TimeoutException("orders database down") : ValueTask.FromResult(true))
            .Build();
        using var harness = new JourneyTestHarness(journey);

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(6.Minutes());
        harness.Sent.Should().BeEmpty();
        await harness.AdvanceAsync(10.Minutes());

        harness.Sent.Select(s => s.StepId).Should().Equal("push-reminder");
        (await harness.TimelineAsync("order-1")).Count(r => r.Kind == JourneyRecordKind.RetryScheduled && r.Channel == "send-condition").Should().Be(2);
    }

    [Fact]
    public async Task SkipIfLaterThan_AfterAnOutage_SkipsTheLateStep_AndSendsTheOnesStillOnTime()
    {
        var journey = Journey.When<CheckoutAbandoned>().Named("late").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .AfterStart(5.Minutes()).Push("only-15-minutes-left", p => p.Body("Il ne vous reste que 15 minutes")).SkipIfLaterThan(30.Minutes())
            .Then().AfterStart(24.Hours()).Push("tomorrow", p => p.Body("Encore là ?"))
            .Build();
        using var harness = new JourneyTestHarness(journey);
        await harness.PublishAsync(Shop.Abandoned());

        harness.Clock.Advance(3.Hours()); // the worker was down: nothing ran
        await harness.Clock.RunDueAsync();
        await harness.AdvanceAsync(1.Days());

        harness.Sent.Select(s => s.StepId).Should().Equal("tomorrow");
        (await harness.TimelineAsync("order-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Skipped && r.StepId == "only-15-minutes-left"
            && r.Detail == "2h55m late, more than 30m (SkipIfLaterThan)");
    }

    [Fact]
    public async Task SkipIfLaterThan_OnTheJourney_AppliesToMessages_AndCountsFromTheFirstDueInstant_ThroughDeferrals()
    {
        var journey = Journey.When<CheckoutAbandoned>().Named("late").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .SkipIfLaterThan(2.Hours())
            .QuietHours(new LocalTime(21, 0), new LocalTime(8, 0))
            .After(1.Hours()).Push("push", p => p.Body("x"))
            .Build();
        using var harness = new JourneyTestHarness([journey], new JourneyTestHarnessOptions { Start = Instant.FromUtc(2026, 1, 5, 20, 0) });

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Days());

        // Due at 22:00 Paris, deferred by quiet hours to 08:00: ten hours late, more than two.
        harness.Sent.Should().BeEmpty();
        (await harness.TimelineAsync("order-1")).Select(r => r.Kind).Should().ContainInOrder(JourneyRecordKind.Deferred, JourneyRecordKind.Skipped);
        journey.MaxLateness.Should().Be(2.Hours());
    }

    [Fact]
    public void Build_RejectsMisplacedLatenessAndExitActions()
    {
        var path = () => TestJourneys.CheckoutRecoveryBuilder().If(_ => true).Then(p => p.SkipIfLaterThan(1.Hours())).EndIf();
        path.Should().Throw<JourneyDefinitionException>().WithMessage("*SkipIfLaterThan applies to the step before it*");

        var timed = () => TestJourneys.CheckoutRecoveryBuilder().OnExit(x => x.After(1.Hours()).RemoveFromCrmList("x")).Build();
        timed.Should().Throw<JourneyDefinitionException>().WithMessage("*an exit action runs as soon as the journey ends*");

        var waits = () => TestJourneys.CheckoutRecoveryBuilder().OnExit(x => x.WaitFor<OrderPaid>(e => e.OrderId, 1.Hours()).OnTimeout(_ => { })).Build();
        waits.Should().Throw<JourneyDefinitionException>().WithMessage("*cannot wait for an event*");
    }

    /// <summary>Scenario S5: at +30 min the customer joins the coupon list and gets the coupon; at exit, whatever the reason, they leave it and the coupon is revoked.</summary>
    private static JourneyDefinition UnpaidOrderCoupon() =>
        Journey.When<OrderUnpaid>().Named("unpaid-order-coupon").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .AfterStart(30.Minutes()).AddToCrmList("coupon-eligible", "add-to-list")
            .IssueCoupon(c => c.Named("RELANCE-20").PercentOff(20).ValidFor(24.Hours()).ForPrice(e => e.Price), "coupon")
            .Email("coupon-email", m => m.Subject("-20 % sur {{event.Offer}}").TextBody("Code {{coupon.code}}"))
            .AttributionWindow(Duration.FromMinutes((24 * 60) - 30))
            .OnExit(x => x.RemoveFromCrmList("coupon-eligible", "leave-list").RevokeCoupon("revoke"))
            .Build();

    private sealed record CartAbandonedAt(string CartId, Instant At);

    private sealed record CartPaidAt(string CartId, Instant At);

    private sealed class RaceCounts
    {
        private readonly Dictionary<string, int> _counts = [];

        public int Total => _counts.Values.Sum();

        public void Count(string outcome) => _counts[outcome] = Of(outcome) + 1;

        public int Of(string outcome) => _counts.GetValueOrDefault(outcome);
    }

    private sealed class RecordingCouponService : ICouponService
    {
        /// <summary>The idempotency keys of the revocations asked for.</summary>
        public ConcurrentQueue<string> Revoked { get; } = new();

        public ValueTask<string> IssueAsync(CouponRequest request, CancellationToken cancellationToken) => ValueTask.FromResult("CODE-1");

        public ValueTask ChangeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask RevokeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken)
        {
            Revoked.Enqueue(idempotencyKey);
            return ValueTask.CompletedTask;
        }
    }
}
