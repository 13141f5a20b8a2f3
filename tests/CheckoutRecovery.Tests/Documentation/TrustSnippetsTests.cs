using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>
/// The journeys of "Events out of order, late steps and pauses" (docs/timing-and-control.md) and of "Exit actions"
/// (docs/getting-started.md), run on the fake clock: each does what the page says.
/// </summary>
public sealed class TrustSnippetsTests
{
    private static readonly Customer Alice = new("cust-alice") { Email = "alice@example.com", PushToken = "push-alice" };

    [Fact]
    public async Task PaidFirst_APaymentPublishedBeforeItsAbandonment_StopsTheJourney_AndALaterAbandonmentEnters()
    {
        using var harness = new JourneyTestHarness(TrustSnippets.PaidFirst());
        var now = harness.Clock.Now.ToDateTimeOffset();

        // The payment arrives first; the abandonment that happened a minute before it arrives a second later.
        await harness.PublishAsync(new OrderPaidAt("order-1", 80m, now));
        var late = await harness.PublishAsync(new CheckoutAbandonedAt("order-1", Alice, now.AddMinutes(-1)));

        late.Started.Should().BeEmpty();
        late.Suppressed.Should().ContainSingle().Which.Reason.Should().Contain("OrderPaidAt");

        // The customer abandons again after paying (a second order on the same id): that one happened later and enters.
        await harness.AdvanceAsync(1.Hours());
        var again = await harness.PublishAsync(new CheckoutAbandonedAt("order-1", Alice, harness.Clock.Now.ToDateTimeOffset()));
        again.Started.Should().ContainSingle();

        // A redelivery from seven hours ago is older than maxAge (6 h): refused as stale.
        var stale = await harness.PublishAsync(new CheckoutAbandonedAt("order-2", Alice, harness.Clock.Now.ToDateTimeOffset().AddHours(-7)));
        stale.Started.Should().BeEmpty();
        (await harness.TimelineAsync("order-2")).Should().ContainSingle().Which.Kind.Should().Be(JourneyRecordKind.Refused);

        await harness.AdvanceAsync(1.Days());
        harness.Sent.Should().ContainSingle("only the abandonment after the payment sends its push")
            .Which.At.Should().Be(harness.Clock.Now - 1.Days() + 5.Minutes());
    }

    [Fact]
    public async Task AskTheOrderSystem_NothingIsSentOnceTheShopSaysTheOrderIsPaid_AndTheInstanceConverts()
    {
        var orders = new OrderBook();
        using var harness = new JourneyTestHarness(TrustSnippets.AskTheOrderSystem(orders));
        await harness.PublishAsync(new CheckoutAbandoned("order-1", Alice, [], 80m, 45));

        await harness.AdvanceAsync(10.Minutes());
        harness.Sent.Should().ContainSingle().Which.StepId.Should().Be("push-1");

        orders.Paid.Add("order-1"); // the payment event was lost; only the order system knows
        await harness.AdvanceAsync(2.Hours());

        harness.Sent.Should().ContainSingle("the e-mail is not sent once the order system says the order is paid");
        (await harness.InstancesAsync("order-1")).Single().Status.Should().Be(JourneyStatus.Converted);
        orders.Asked.Should().Be(2, "once before each send");
    }

    [Fact]
    public async Task NotLate_AfterAnOutage_ThePushIsSkipped_AndTheEmailStillGoes()
    {
        using var harness = new JourneyTestHarness(TrustSnippets.NotLate());
        await harness.PublishAsync(new CheckoutAbandoned("order-1", Alice, [], 80m, 45));
        var start = harness.Clock.Now;

        // The workers are down for an hour: pausing the journey holds its steps the same way.
        await harness.Engine.PauseAsync("checkout-recovery");
        await harness.AdvanceAsync(1.Hours());
        await harness.Engine.ResumeAsync("checkout-recovery");
        await harness.AdvanceAsync(1.Days());

        harness.Sent.Select(s => (s.StepId, s.At - start)).Should().Equal(("email-1", 1.Hours()));
        (await harness.TimelineAsync("order-1")).Should().ContainSingle(r => r.Kind == JourneyRecordKind.Skipped)
            .Which.StepId.Should().Be("push-1", "the push was 55 minutes late, more than its 15 minutes");
    }

    [Fact]
    public async Task PauseForTheSale_HoldsTheStepsUntilResumed()
    {
        using var harness = new JourneyTestHarness(TrustSnippets.AskTheOrderSystem(new OrderBook()));
        await harness.PublishAsync(new CheckoutAbandoned("order-1", Alice, [], 80m, 45));
        var start = harness.Clock.Now;

        var pausing = TrustSnippets.PauseForTheSaleAsync(harness.Engine);
        await pausing;
        (await harness.Engine.GetPausesAsync()).Should().BeEmpty("the example resumes at its end");

        await harness.Engine.PauseAsync("checkout-recovery");
        await harness.AdvanceAsync(30.Minutes());
        harness.Sent.Should().BeEmpty();
        await harness.Engine.ResumeAsync("checkout-recovery");
        await harness.Clock.RunDueAsync();

        harness.Sent.Should().ContainSingle().Which.At.Should().Be(start + 30.Minutes());
    }

    [Fact]
    public async Task UnpaidOrderCoupon_OnExit_LeavesTheListAndRevokesTheCoupon_WhateverEndsTheJourney()
    {
        using var paid = new JourneyTestHarness(TrustSnippets.UnpaidOrderCoupon());
        await paid.PublishAsync(new OrderUnpaid("order-1", Alice, "Premium", 120m));
        await paid.AdvanceAsync(1.Hours());
        await paid.PublishAsync(new OrderPaid("order-1", 120m));
        await paid.Clock.RunDueAsync();

        paid.SentOf<CrmListUpdate>().Select(s => s.Message.Change).Should().Equal(MembershipChange.Add, MembershipChange.Remove);
        var timeline = await paid.TimelineAsync("order-1");
        timeline.Should().ContainSingle(r => r.Kind == JourneyRecordKind.CouponRevoked).Which.At.Should().Be(paid.Clock.Now);

        // Paid before the first step: the removal still reaches the CRM channel, and there is no coupon to revoke.
        using var early = new JourneyTestHarness(TrustSnippets.UnpaidOrderCoupon());
        await early.PublishAsync(new OrderUnpaid("order-1", Alice, "Premium", 120m));
        await early.PublishAsync(new OrderPaid("order-1", 120m));
        await early.AdvanceAsync(3.Days());

        early.SentOf<CrmListUpdate>().Select(s => s.Message.Change).Should().Equal(MembershipChange.Remove);
        (await early.TimelineAsync("order-1")).Should().Contain(r => r.Kind == JourneyRecordKind.Skipped && r.Detail == "no coupon to revoke");
    }

    private sealed class OrderBook : IOrderBook
    {
        public HashSet<string> Paid { get; } = [];

        public int Asked { get; private set; }

        public ValueTask<bool> IsUnpaidAsync(string orderId, CancellationToken cancellationToken)
        {
            Asked++;
            return ValueTask.FromResult(!Paid.Contains(orderId));
        }
    }
}
