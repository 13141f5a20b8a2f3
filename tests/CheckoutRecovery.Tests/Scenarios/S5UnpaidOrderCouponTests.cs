using CheckoutRecovery.Scenarios;
using FluentAssertions;
using NodaTime;

namespace CheckoutRecovery.Tests.Scenarios;

/// <summary>
/// Runs S5 as <c>--scenario s5</c> does and checks what it prints against the scenario's rules, applied here to the
/// simulated population: +30 min list and coupon e-mail, removal and revocation at payment or 24 hours later.
/// </summary>
public sealed class S5UnpaidOrderCouponTests
{
    private static readonly ScenarioOptions Options = new(Customers: 500, Seed: 5);
    private static readonly Duration CouponAt = Duration.FromMinutes(30);
    private static readonly Duration EndAt = Duration.FromMinutes(30) + Duration.FromHours(24);

    [Fact]
    public async Task PrintsTheRunTheRulesDescribe()
    {
        var printed = await PrintedScenario.RunAsync(new S5UnpaidOrderCoupon(), Options, "fr-FR");
        var population = S5UnpaidOrderCoupon.Population(Options);

        // The rules, customer by customer: unpaid at +30 min, they get the coupon; paid before the end, it is the journey's.
        var unpaidAtCoupon = population.Where(c => c.PaysAt is null || c.PaysAt > c.At + CouponAt).ToList();
        var converted = population.Where(c => c.PaysAt < c.At + EndAt).ToList();
        var afterCoupon = converted.Where(c => c.PaysAt > c.At + CouponAt).ToList();

        printed.Total("entered").Should().Equal(printed.Count(population.Count));
        printed.Total("paid")[0].Should().Be(printed.Count(converted.Count));
        printed.Total("revenue").Should().Equal(printed.Money(converted.Sum(c => c.Amount!.Value)));
        printed.Total("recovered revenue")[0].Should().Be(printed.Money(afterCoupon.Sum(c => c.Amount!.Value)));
        printed.Total("completed unpaid").Should().Equal(printed.Count(population.Count - converted.Count));

        // step: sent, skipped, held out, failed, paid after, revenue
        printed.Row("Steps:", "add-to-list")[1..3].Should().Equal(printed.Count(unpaidAtCoupon.Count), printed.Count(0));
        printed.Row("Steps:", "coupon-email")[1..].Should().Equal(
            printed.Count(unpaidAtCoupon.Count), printed.Count(0), printed.Count(0), printed.Count(0),
            printed.Count(afterCoupon.Count), printed.Money(afterCoupon.Sum(c => c.Amount!.Value)));

        // Everyone leaves the list at the end, paid or not; the coupons are all revoked: nobody keeps a usable one.
        printed.Row("Steps:", "remove-from-list")[1].Should().Be(printed.Count(population.Count));
        printed.Text.Should().Contain($"CRM list 'coupon-eligible': {unpaidAtCoupon.Count} added, {population.Count} removed, 0 still on it")
            .And.Contain($"coupons: {unpaidAtCoupon.Count} issued, {unpaidAtCoupon.Count} revoked, 0 still usable");
    }

    [Fact]
    public async Task PrintsEachFeaturedCustomersTimelineAndTheirCouponEmail()
    {
        var printed = await PrintedScenario.RunAsync(new S5UnpaidOrderCoupon(), Options, "fr-FR");
        var population = S5UnpaidOrderCoupon.Population(Options);
        var payer = population.First(c => c.Plan == S5Plan.WithCoupon);
        var offset = TimelineOffset(payer.PaysAt!.Value - payer.At);

        printed.Section("Paid with the coupon").Should()
            .Contain($"Instance for '{payer.Order.OrderId}'").And.Contain("status Converted")
            .And.Contain("+00:30:00  add-to-list sent (crm-list)")
            .And.Contain("+00:30:00  coupon issued issue-coupon: RELANCE-20: 20 % off")
            .And.Contain("+00:30:00  coupon-email sent (email)")
            .And.Contain($"Prix : {printed.Money(payer.Order.Price * 0.8m)} au lieu de {printed.Money(payer.Order.Price)}.")
            .And.Contain("valable 24 heures")
            .And.Contain($"{offset}  paid {printed.Money(payer.Amount!.Value)}: converted (OrderPaid), attributed to coupon-email")
            .And.Contain($"{offset}  remove-from-list sent (crm-list)")
            .And.Contain($"{offset}  coupon revoked revoke-coupon: RELANCE-20");
        printed.Section("Never paid: off the list and the coupon revoked at +24:30:00").Should()
            .Contain("+24:30:00  completed").And.Contain("+24:30:00  remove-from-list sent (crm-list)").And.Contain("+24:30:00  coupon revoked");
        printed.Section("Paid before +00:30:00: no coupon").Should()
            .NotContain("coupon-email").And.Contain("skipped revoke-coupon: no coupon to revoke");
    }

    [Fact]
    public async Task WritesItsPicturesIntoTheFolderItPrints()
    {
        var printed = await PrintedScenario.RunAsync(new S5UnpaidOrderCoupon(), new ScenarioOptions(Customers: 50, Seed: 5), "fr-FR", keepPictures: true);

        printed.Text.Should().Contain($"Pictures of the report in {printed.Pictures}: s5-funnel.svg, s5-trend.svg, s5-comparison.svg, s5-report.html");
        File.ReadAllText(Path.Combine(printed.Pictures, "s5-trend.svg")).Should().StartWith("<svg");
        File.ReadAllText(Path.Combine(printed.Pictures, "s5-report.html")).Should().Contain("€");
        Directory.Delete(printed.Pictures, recursive: true);
    }

    private static string TimelineOffset(Duration d) => $"+{(long)d.TotalHours:00}:{d.Minutes:00}:{d.Seconds:00}";
}
