using System.Collections.Immutable;
using System.Globalization;
using NodaTime;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests.Coupons;

/// <summary>
/// The coupon rules on their own: what a discount accepts, how two stack, how a coupon is kept among an instance's
/// variables, and what a coupon step refuses. Expected values are worked out by hand in each test.
/// </summary>
public sealed class CouponRulesTests
{
    [Fact]
    public void Percent_AcceptsAbove0UpTo100_AndSaysSoOtherwise()
    {
        CouponDiscount.Percent(100).ApplyTo(49.90m).Should().Be(0m, "100 % off is allowed: the item is free");
        CouponDiscount.Percent(0.5m).ApplyTo(100m).Should().Be(99.50m);

        FluentActions.Invoking(() => CouponDiscount.Percent(100.01m)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("A percentage off must be above 0 and at most 100.*").Which.ParamName.Should().Be("percent");
        FluentActions.Invoking(() => CouponDiscount.Percent(-5)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Amount_NeedsAPositiveAmountAndACurrency_WrittenInCapitals()
    {
        CouponDiscount.Amount(5, "eur").Should().Be(CouponDiscount.Amount(5, "EUR"));

        FluentActions.Invoking(() => CouponDiscount.Amount(0, "EUR")).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("amount");
        FluentActions.Invoking(() => CouponDiscount.Amount(-1, "EUR")).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => CouponDiscount.Amount(5, " ")).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("currency");
    }

    [Fact]
    public void Stack_AddsPercentagesUpTo100_AddsAmountsOfOneCurrency_CompoundsPercentages_OrReplaces()
    {
        CouponDiscount.Percent(20).Stack(CouponDiscount.Percent(10), CouponStacking.Add).Should().Be(CouponDiscount.Percent(30));
        CouponDiscount.Percent(70).Stack(CouponDiscount.Percent(50), CouponStacking.Add).Should().Be(CouponDiscount.Percent(100), "never more than the price");
        CouponDiscount.Amount(5, "EUR").Stack(CouponDiscount.Amount(2.5m, "EUR"), CouponStacking.Add).Should().Be(CouponDiscount.Amount(7.5m, "EUR"));

        // 20 % off, then 10 % off what is left: 100 - 80 × 0.9 = 28 %.
        CouponDiscount.Percent(20).Stack(CouponDiscount.Percent(10), CouponStacking.Compound).Should().Be(CouponDiscount.Percent(28));
        CouponDiscount.Amount(5, "EUR").Stack(CouponDiscount.Percent(10), CouponStacking.Replace).Should().Be(CouponDiscount.Percent(10));
    }

    [Fact]
    public void Stack_WhatCannotStack_SaysWhatAndHow()
    {
        FluentActions.Invoking(() => CouponDiscount.Amount(5, "EUR").Stack(CouponDiscount.Amount(5, "USD"), CouponStacking.Add))
            .Should().Throw<InvalidOperationException>().WithMessage("5.00 EUR off and 5.00 USD off cannot be stacked by Add.");
        FluentActions.Invoking(() => CouponDiscount.Amount(5, "EUR").Stack(CouponDiscount.Amount(5, "EUR"), CouponStacking.Compound))
            .Should().Throw<InvalidOperationException>().WithMessage("5.00 EUR off and 5.00 EUR off cannot be stacked by Compound.");
        FluentActions.Invoking(() => CouponDiscount.Percent(20).Stack(CouponDiscount.Amount(5, "EUR"), CouponStacking.Add))
            .Should().Throw<InvalidOperationException>().WithMessage("20 % off and 5.00 EUR off cannot be stacked by Add.");
    }

    [Fact]
    public void Serialize_ThenParse_GivesTheSameDiscount()
    {
        CouponDiscount[] discounts = [CouponDiscount.Percent(12.5m), CouponDiscount.Amount(7.25m, "CHF")];

        discounts.Select(d => d.Serialize()).Should().Equal("percent:12.5", "amount:7.25:CHF");
        discounts.Select(d => CouponDiscount.Parse(d.Serialize())).Should().Equal(discounts);
    }

    [Fact]
    public void CouponState_WrittenThenRead_IsTheSameCoupon_RevokedOrNot_WithTheCustomerOrNone()
    {
        var coupon = new Coupon("RELANCE-20", "RELANCE20-K7QW3ZP9MHXD", CouponDiscount.Amount(5, "EUR"), Instant.FromUtc(2026, 1, 6, 9, 30), "c1");

        foreach (var kept in new[] { coupon, coupon with { IsRevoked = true } })
        {
            var variables = CouponState.Write(kept).Where(v => v.Value is not null).ToImmutableDictionary(v => v.Key, v => v.Value!);

            CouponState.Read(variables, "c1").Should().Be(kept);
            CouponState.Read(variables, null).Should().Be(kept with { CustomerId = string.Empty });
        }

        CouponState.Write(coupon)[CouponState.Revoked].Should().BeNull();
        CouponState.Write(coupon with { IsRevoked = true })[CouponState.Revoked].Should().Be("true");
        CouponState.Read(ImmutableDictionary<string, string>.Empty, "c1").Should().BeNull();
    }

    [Fact]
    public void CouponStep_RefusesWhatWouldMakeAMeaninglessCoupon()
    {
        var journey = () => Journey.When<CheckoutAbandoned>().Named("coupons").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

        Refused(c => c.Named(" ")).Should().BeOfType<ArgumentException>();
        Refused(c => c.ValidFor(Duration.Zero)).Should().BeOfType<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("A coupon's validity must be positive and at most 365 days.");
        Refused(c => c.NotIfIssuedWithin(Duration.Zero)).Should().BeOfType<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("The period must be positive and at most 365 days.");
        Refused(c => c.NotIfAbandonedMoreThan(0, Duration.FromDays(30))).Should().BeOfType<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("times");
        Refused(c => c.NotIfAbandonedMoreThan(2, Duration.Zero)).Should().BeOfType<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("The period must be positive and at most 365 days.");
        Refused(c => c.ValidFor(Duration.FromDays(1)).NotIfIssuedWithin(Duration.FromDays(1)).NotIfAbandonedMoreThan(1, Duration.FromDays(1)).Named("A").PercentOff(5))
            .Should().BeNull("positive periods and a count of at least 1 are fine");

        Missing(c => c.PercentOff(10).ValidFor(Duration.FromDays(1))).Should().EndWith("a coupon needs a name: call Named(...)");
        Missing(c => c.Named("A").ValidFor(Duration.FromDays(1))).Should().EndWith("a coupon needs a discount: call PercentOff(...) or AmountOff(...)");
        Missing(c => c.Named("A").PercentOff(10)).Should().EndWith("a coupon needs a validity: call ValidFor(...)");

        Exception? Refused(Func<CouponBuilder<CheckoutAbandoned>, CouponBuilder<CheckoutAbandoned>> configure)
        {
            try
            {
                journey().IssueCoupon(c => configure(c.Named("A").PercentOff(10).ValidFor(Duration.FromDays(1))));
                return null;
            }
            catch (Exception e) when (e is ArgumentException)
            {
                return e;
            }
        }

        string Missing(Func<CouponBuilder<CheckoutAbandoned>, CouponBuilder<CheckoutAbandoned>> configure) =>
            FluentActions.Invoking(() => journey().IssueCoupon(c => configure(c)).Build()).Should().Throw<JourneyDefinitionException>().Which.Message;
    }

    [Fact]
    public void CouponSettings_DescribeTheOffer()
    {
        new CouponSettings<CheckoutAbandoned>("FLASH", CouponDiscount.Percent(20), Duration.FromDays(2), null, null, null).ToString()
            .Should().Be("FLASH, 20 % off, valid 2d");
        CouponDiscount.Percent(12.5m).ToString(CultureInfo.InvariantCulture).Should().Be("12.5 %");
    }
}
