using Recovery.Journeys.Coupons;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Experiments;

public sealed class HoldoutTests
{
    private static JourneyDefinition WithHoldout(int percent = 10) =>
        Journey.When<CheckoutAbandoned>().Named("checkout-recovery").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, x => x.WithValue(e => e.Amount))
            .Holdout(percent)
            .After(5.Minutes()).Push("push-reminder", p => p.Body("x"))
            .Then().IssueCoupon(c => c.Named("RELANCE").PercentOff(10).ValidFor(24.Hours()), "coupon")
            .Then().After(1.Hours()).Email("email-reminder", m => m.Subject("{{coupon.code}}").TextBody("x"))
            .Build();

    private static CheckoutAbandoned Order(string customerId) =>
        Shop.Abandoned($"order-{customerId}", customer: new Customer(customerId) { Email = $"{customerId}@example.com", PushToken = "t" });

    [Fact]
    public async Task Holdout_CustomerEntersButReceivesNothing_MessagesSkippedAndCouponWithheld()
    {
        var journey = WithHoldout();
        var held = Enumerable.Range(0, 500).Select(i => $"customer-{i}").First(journey.IsInHoldout);
        using var harness = new JourneyTestHarness(journey);

        await harness.PublishAsync(Order(held));
        await harness.AdvanceAsync(2.Hours());

        harness.Sent.Should().BeEmpty();
        (await harness.TimelineAsync($"order-{held}")).Select(r => (r.Kind, r.StepId, r.Channel, r.Detail)).Should().Equal(
            (JourneyRecordKind.Entered, null, null, null),
            (JourneyRecordKind.Assigned, null, "holdout", "holdout"),
            (JourneyRecordKind.Skipped, "push-reminder", "push", "holdout"),
            (JourneyRecordKind.CouponWithheld, "coupon", "coupon", "holdout"),
            (JourneyRecordKind.Skipped, "email-reminder", "email", "holdout"));
        (await harness.InstancesAsync($"order-{held}")).Single().Variables.Should().Contain("holdout", "holdout").And.NotContainKey("coupon.code");
    }

    [Fact]
    public async Task Holdout_CustomerNotHeldOut_GetsTheJourney()
    {
        var journey = WithHoldout();
        var treated = Enumerable.Range(0, 500).Select(i => $"customer-{i}").First(c => !journey.IsInHoldout(c));
        using var harness = new JourneyTestHarness(journey);

        await harness.PublishAsync(Order(treated));
        await harness.AdvanceAsync(2.Hours());

        harness.Sent.Select(s => s.StepId).Should().Equal("push-reminder", "email-reminder");
        (await harness.TimelineAsync($"order-{treated}")).Should().Contain(r => r.Kind == JourneyRecordKind.Assigned && r.Detail == "journey")
            .And.Contain(r => r.Kind == JourneyRecordKind.CouponIssued);
    }

    [Fact]
    public async Task Holdout_ActionsStillRun_AndSeeTheGroup()
    {
        var seen = new List<(string Customer, bool IsHoldout)>();
        var journey = Journey.When<CheckoutAbandoned>().Named("checkout-recovery").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .Holdout(50)
            .Do((c, _) =>
            {
                seen.Add((c.Customer!.Id, c.IsHoldout));
                return ValueTask.CompletedTask;
            })
            .Build();
        using var harness = new JourneyTestHarness(journey);
        var customers = Enumerable.Range(0, 20).Select(i => $"customer-{i}").ToList();

        foreach (var customer in customers)
        {
            await harness.PublishAsync(Order(customer));
        }

        await harness.AdvanceAsync(1.Minutes());

        seen.Should().BeEquivalentTo(customers.Select(c => (c, journey.IsInHoldout(c))));
        seen.Should().Contain(s => s.IsHoldout).And.Contain(s => !s.IsHoldout);
    }

    [Fact]
    public void IsInHoldout_Over100kCustomers_HoldsOutTheShareAsked_IndependentlyOfExperiments()
    {
        var journey = Journey.When<CheckoutAbandoned>().Named("checkout-recovery").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .Holdout(10)
            .Experiment("push-text", e => e.Variant("A", 50, p => p.Push(m => m.Body("x"))).Variant("B", 50, p => p.Push(m => m.Body("y"))))
            .Build();
        var customers = Enumerable.Range(0, 100_000).Select(i => $"customer-{i}").ToList();

        var held = customers.Where(journey.IsInHoldout).ToList();
        var heldInB = held.Count(c => journey.VariantOf("push-text", c) == "B");

        // Binomial counts within 5 standard deviations.
        held.Count.Should().BeInRange(10_000 - 475, 10_000 + 475);
        heldInB.Should().BeInRange((held.Count / 2) - 250, (held.Count / 2) + 250, "the holdout and the experiment are drawn independently");
    }

    [Fact]
    public void IsInHoldout_MatchesAStableHashComputedElsewhere()
    {
        // SHA-256 of "checkout-recovery\nholdout\ncustomer-N", first 8 bytes big-endian, modulo 10,000, computed with
        // python3: 871, 4472, 93, 6240, 5325, 3856, 4698, 1530. Below 1,000 is in a 10 % holdout; below 5,000 in a 50 % one.
        var ten = WithHoldout(10);
        var fifty = WithHoldout(50);
        var customers = Enumerable.Range(1, 8).Select(i => $"customer-{i}").ToList();

        customers.Select(ten.IsInHoldout).Should().Equal(true, false, true, false, false, false, false, false);
        customers.Select(fifty.IsInHoldout).Should().Equal(true, true, true, false, false, true, true, true);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public void Holdout_OutOfRange_FailsNamingTheJourney(int percent)
    {
        var build = () => Journey.When<CheckoutAbandoned>().Named("checkout-recovery").Holdout(percent);

        build.Should().Throw<JourneyDefinitionException>().Which.Message.Should().Be(
            $"Journey 'checkout-recovery': the holdout must be between 1 and 50 % of the customers, was {percent} %");
    }
}
