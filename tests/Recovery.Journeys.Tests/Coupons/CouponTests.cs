using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests;

public sealed partial class CouponTests
{
    private const char Nbsp = '\u00A0';

    private static JourneyBuilder<OrderUnpaid> Unpaid(string name = "unpaid-coupon") =>
        Journey.When<OrderUnpaid>().Named(name).CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .DefaultCulture("fr-FR")
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount));

    /// <summary>Scenario S5 (seed 004): 30 min after an unpaid order, a personal coupon and an e-mail; 24 h later, still unpaid, the coupon is taken back.</summary>
    private static JourneyDefinition UnpaidOrderCoupon(Action<CouponBuilder<OrderUnpaid>>? guard = null) => Unpaid()
        .After(30.Minutes()).IssueCoupon(c =>
        {
            c.Named("RELANCE-20").PercentOff(20).ValidFor(24.Hours()).ForPrice(e => e.Price);
            guard?.Invoke(c);
        }, "issue-coupon")
        .AddToCrmList("coupon-eligible", "add-to-list")
        .Email("coupon-email", m => m
            .Subject("{{#if coupon}}Votre code {{coupon.code}} : {{coupon.discount}} sur {{event.Offer}}{{else}}Votre commande {{event.Offer}} vous attend{{/if}}")
            .TextBody("{{#if coupon}}{{coupon.name}} : {{coupon.discount}} de remise, valable {{timeLeft coupon.expiresAt}}. " +
                "Prix : {{money coupon.priceBefore \"EUR\"}} au lieu de {{money coupon.priceAfter \"EUR\"}}.{{else}}Finalisez votre commande.{{/if}}"))
        .Then().After(24.Hours()).RemoveFromCrmList("coupon-eligible", "remove-from-list")
        .RevokeCoupon("revoke-coupon")
        .Build();

    private static OrderUnpaid Order(string id = "order-1") => new(id, Shop.Alice, "Formation Excel", 149m);

    private static (JourneyTestHarness Harness, RecordingCouponService Coupons) Run(JourneyDefinition journey)
    {
        var coupons = new RecordingCouponService();
        return (new JourneyTestHarness([journey], new JourneyTestHarnessOptions { Coupons = coupons }), coupons);
    }

    [Fact]
    public async Task S5_UnpaidOrder_CouponAndListAt30Minutes_RevokedAndRemovedAfter24Hours()
    {
        var (harness, coupons) = Run(UnpaidOrderCoupon());
        using var _ = harness;

        await harness.PublishAsync(Order());
        // The instance then listens for the payment during the attribution window (24 h by default) before it completes.
        await harness.AdvanceAsync(3.Days());

        var issued = coupons.Issued.Single();
        issued.Request.Should().Match<CouponRequest>(r => r.Name == "RELANCE-20" && r.Discount == CouponDiscount.Percent(20)
            && r.ExpiresAt == FakeClock.DefaultStart + 30.Minutes() + 24.Hours() && r.Customer.Id == "cust-alice" && r.IdempotencyKey.EndsWith(":issue-coupon", StringComparison.Ordinal));
        harness.Sent.Select(s => (s.StepId, s.At - FakeClock.DefaultStart)).Should().Equal(
            ("add-to-list", 30.Minutes()),
            ("coupon-email", 30.Minutes()),
            ("remove-from-list", 24.Hours() + 30.Minutes()));
        harness.SentOf<CrmListUpdate>().Select(s => s.Message).Should().Equal(
            new CrmListUpdate("coupon-eligible", MembershipChange.Add), new CrmListUpdate("coupon-eligible", MembershipChange.Remove));
        var email = harness.SentOf<EmailMessage>().Single().Message;
        email.Subject.Replace(Nbsp, ' ').Should().Be($"Votre code {issued.Code} : 20 % sur Formation Excel");
        email.TextBody!.Replace(Nbsp, ' ').Should().Be("RELANCE-20 : 20 % de remise, valable 24 heures. Prix : 149,00 € au lieu de 119,20 €.");
        coupons.Revoked.Should().ContainSingle().Which.Code.Should().Be(issued.Code);
        (await harness.TimelineAsync("order-1")).Select(r => r.Kind).Should().Equal(
            JourneyRecordKind.Entered, JourneyRecordKind.CouponIssued, JourneyRecordKind.Sent, JourneyRecordKind.Sent,
            JourneyRecordKind.Sent, JourneyRecordKind.CouponRevoked, JourneyRecordKind.Completed);
    }

    [Fact]
    public async Task S5_PaidAfterTheEmail_KeepsTheCouponUsed_AndRemovesNothing()
    {
        var (harness, coupons) = Run(UnpaidOrderCoupon());
        using var _ = harness;

        await harness.PublishAsync(Order());
        await harness.AdvanceAsync(2.Hours());
        await harness.PublishAsync(new OrderPaid("order-1", 119.20m));
        await harness.AdvanceAsync(2.Days());

        coupons.Issued.Should().ContainSingle();
        coupons.Revoked.Should().BeEmpty();
        harness.SentOf<CrmListUpdate>().Select(s => s.Message.Change).Should().Equal(MembershipChange.Add);
        var instance = (await harness.InstancesAsync("order-1")).Single();
        instance.Status.Should().Be(JourneyStatus.Converted);
        instance.Variables[CouponState.Code].Should().Be(coupons.Issued[0].Code);
        instance.Variables.Should().NotContainKey(CouponState.Revoked);
    }

    [Fact]
    public async Task Guard_ACouponIssuedWithinThePeriod_IsWithheld_AndTheNoDiscountTextIsSent()
    {
        var (harness, coupons) = Run(UnpaidOrderCoupon(c => c.NotIfIssuedWithin(30.Days())));
        using var _ = harness;

        await harness.PublishAsync(Order("order-1"));
        await harness.AdvanceAsync(1.Hours());
        await harness.PublishAsync(Order("order-2"));
        await harness.AdvanceAsync(2.Days());

        coupons.Issued.Should().ContainSingle();
        var emails = harness.SentOf<EmailMessage>().Select(s => s.Message.Subject).ToList();
        emails[1].Should().Be("Votre commande Formation Excel vous attend");
        harness.SentOf<EmailMessage>()[1].Message.TextBody.Should().Be("Finalisez votre commande.");
        (await harness.TimelineAsync("order-2")).Should().Contain(r => r.Kind == JourneyRecordKind.CouponWithheld && r.Detail == "a coupon was issued to the customer within 30d")
            .And.Contain(r => r.StepId == "revoke-coupon" && r.Kind == JourneyRecordKind.Skipped && r.Detail == "no coupon to revoke");
    }

    [Fact]
    public async Task Guard_ACustomerWhoAbandonsRepeatedly_GetsNoDiscount()
    {
        var (harness, coupons) = Run(UnpaidOrderCoupon(c => c.NotIfAbandonedMoreThan(2, 30.Days())));
        using var _ = harness;

        foreach (var order in new[] { "order-1", "order-2", "order-3" })
        {
            await harness.PublishAsync(Order(order));
            await harness.AdvanceAsync(2.Days());
        }

        coupons.Issued.Should().HaveCount(2);
        (await harness.TimelineAsync("order-3")).Should().Contain(r => r.Kind == JourneyRecordKind.CouponWithheld && r.Detail == "the customer entered this journey 3 times within 30d");
    }

    [Theory]
    [InlineData(CouponStacking.Add, 30)]
    [InlineData(CouponStacking.Compound, 28)]
    [InlineData(CouponStacking.Replace, 10)]
    public async Task RaiseCoupon_StacksTheExtraOffer_AndTellsTheService(CouponStacking stacking, decimal expectedPercent)
    {
        var (harness, coupons) = Run(Unpaid()
            .IssueCoupon(c => c.Named("S1").PercentOff(20).ValidFor(2.Days()))
            .Then().After(24.Hours()).RaiseCoupon(CouponDiscount.Percent(10), stacking)
            .Push(p => p.Body("Code {{coupon.code}} : {{coupon.discount}}"))
            .Build());
        using var _ = harness;

        await harness.PublishAsync(Order());
        await harness.AdvanceAsync(2.Days());

        coupons.Changed.Should().ContainSingle().Which.Discount.Should().Be(CouponDiscount.Percent(expectedPercent));
        harness.SentOf<PushMessage>().Single().Message.Body.Replace(Nbsp, ' ').Should().Be($"Code {coupons.Issued[0].Code} : {expectedPercent} %");
    }

    [Fact]
    public void RaiseCoupon_ThatCannotStack_FailsAtBuild()
    {
        FluentActions.Invoking(() => Unpaid().IssueCoupon(c => c.Named("A").AmountOff(5, "EUR").ValidFor(1.Days())).RaiseCoupon(CouponDiscount.Percent(10), CouponStacking.Add, "raise"))
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'unpaid-coupon', step 'raise': the raise cannot apply to the coupon issued*");
        FluentActions.Invoking(() => Unpaid().RevokeCoupon("revoke"))
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'unpaid-coupon', step 'revoke': RevokeCoupon needs an IssueCoupon step before it");
        FluentActions.Invoking(() => Unpaid().IssueCoupon(c => c.Named("A").PercentOff(5), "issue"))
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'unpaid-coupon', step 'issue': a coupon needs a validity: call ValidFor(...)");
    }

    [Fact]
    public async Task WithoutAService_CodesAreGenerated_UniqueAndUnguessable()
    {
        using var harness = new JourneyTestHarness(Unpaid().IssueCoupon(c => c.Named("RELANCE-20").PercentOff(20).ValidFor(1.Days())).Push(p => p.Body("{{coupon.code}}")).Build());

        for (var i = 0; i < 500; i++)
        {
            await harness.PublishAsync(Order($"order-{i}"));
        }

        var codes = harness.SentOf<PushMessage>().Select(s => s.Message.Body).ToList();
        codes.Should().HaveCount(500).And.OnlyHaveUniqueItems().And.OnlyContain(c => GeneratedCode().IsMatch(c));
    }

    [Fact]
    public async Task CouponServiceFailure_IsRetried_WithTheSameIdempotencyKey()
    {
        var coupons = new RecordingCouponService { FailFirst = 1 };
        using var harness = new JourneyTestHarness([UnpaidOrderCoupon()], new JourneyTestHarnessOptions { Coupons = coupons });

        await harness.PublishAsync(Order());
        await harness.AdvanceAsync(1.Hours());

        coupons.Attempts.Should().HaveCount(2).And.Subject.Distinct().Should().ContainSingle();
        (await harness.TimelineAsync("order-1")).Select(r => r.Kind).Should().ContainInOrder(JourneyRecordKind.RetryScheduled, JourneyRecordKind.CouponIssued);
    }

    [Fact]
    public void Discounts_ApplyAndWriteThemselves()
    {
        CouponDiscount.Percent(20).ApplyTo(49.90m).Should().Be(39.92m);
        CouponDiscount.Amount(5, "eur").ApplyTo(3m).Should().Be(0m);
        CouponDiscount.Amount(5, "EUR").ToString(System.Globalization.CultureInfo.GetCultureInfo("fr-FR")).Replace(Nbsp, ' ').Should().Be("5,00 €");
        CouponDiscount.Percent(12.5m).ToString(System.Globalization.CultureInfo.GetCultureInfo("en-US")).Should().Be("12.5 %");
        FluentActions.Invoking(() => CouponDiscount.Percent(0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => CouponDiscount.Percent(101)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [GeneratedRegex("^RELANCE20-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{12}$")]
    private static partial Regex GeneratedCode();

    private sealed class RecordingCouponService : ICouponService
    {
        private readonly ConcurrentDictionary<string, string> _codes = new();

        public int FailFirst { get; init; }

        public List<string> Attempts { get; } = [];

        public List<(CouponRequest Request, string Code)> Issued { get; } = [];

        public List<Coupon> Changed { get; } = [];

        public List<Coupon> Revoked { get; } = [];

        public ValueTask<string> IssueAsync(CouponRequest request, CancellationToken cancellationToken)
        {
            Attempts.Add(request.IdempotencyKey);
            if (Attempts.Count <= FailFirst)
            {
                throw new HttpRequestException("coupon API unavailable");
            }

            var code = _codes.GetOrAdd(request.IdempotencyKey, _ => $"C{_codes.Count + 1:D4}");
            Issued.Add((request, code));
            return ValueTask.FromResult(code);
        }

        public ValueTask ChangeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken)
        {
            Changed.Add(coupon);
            return ValueTask.CompletedTask;
        }

        public ValueTask RevokeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken)
        {
            Revoked.Add(coupon);
            return ValueTask.CompletedTask;
        }
    }
}
