using System.Net;
using Recovery.Journeys.AspNetCore.Tests.Fixtures;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Time;
using ShopWeb.Shop;

namespace Recovery.Journeys.AspNetCore.Tests;

public sealed class DashboardPageTests
{
    [Fact]
    public async Task Journeys_ListsEachJourneyWithItsFigures()
    {
        await using var host = await DashboardHost.StartAsync(d => d.Currency = "EUR");
        await host.SeedAsync();

        var (status, body) = await DashboardForms.GetAsync(host.CreateClient(), "/journeys/?period=7d");

        // Three entered on 20/11, O-1 converted with 25 EUR: 1 of 3.
        status.Should().Be(HttpStatusCode.OK);
        body.Should().Contain(">checkout-recovery</a>").And.Contain(">payment-retry</a>").And.Contain("running");
        body.Should().Contain("<td>3</td>").And.Contain((1.0 / 3).ToString("P1", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))).And.Contain("€25.00");
        body.Should().Contain("<svg").And.Contain("Daily trend of checkout-recovery");
    }

    [Fact]
    public async Task AJourney_ShowsFunnelStepsExperimentHoldoutAndDiagram()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.SeedAsync();

        var (status, body) = await DashboardForms.GetAsync(host.CreateClient(), "/journeys/journey/checkout-recovery?period=30d");

        status.Should().Be(HttpStatusCode.OK);
        body.Should().Contain("Funnel of checkout-recovery").And.Contain("<h2>Steps</h2>").And.Contain("email-urgent").And.Contain("sms-last-call");
        body.Should().Contain("Experiment reminder-subject").And.Contain("Holdout (10 %").And.Contain("Journey &#x27;checkout-recovery&#x27; v1");
    }

    [Fact]
    public async Task AJourneyWithCouponSteps_ShowsEachCouponStepsOutcomes()
    {
        var coupons = new NumberingCoupons();
        await using var host = await DashboardHost.StartAsync(journeys: j => j.AddJourney(CouponJourney()).UseCouponService(coupons));

        // O-1 and O-2 get a coupon at +30 min; O-1 pays at +1 h (its revoke step never runs); O-2's is revoked at +24 h 30.
        await host.Engine.PublishAsync(new CheckoutAbandoned("O-1", new Customer("C1") { Email = "c1@example.com" }, [new CartItem("Scarf", 25m)]));
        await host.Engine.PublishAsync(new CheckoutAbandoned("O-2", new Customer("C2") { Email = "c2@example.com" }, [new CartItem("Shoes", 89m)]));
        await host.RunUntilAsync(DashboardHost.Start + 1.Hours());
        await host.Engine.PublishAsync(new OrderPaid("O-1", 25m));
        await host.RunUntilAsync(DashboardHost.Start + 2.Days());

        var (status, body) = await DashboardForms.GetAsync(host.CreateClient(), "/journeys/journey/coupon-recovery?period=30d");

        status.Should().Be(HttpStatusCode.OK);
        (coupons.Issued, coupons.Revoked).Should().Be((2, 1));
        body.Should().Contain("<h2>Coupon steps</h2>");
        body.Should().Contain("<th scope=\"row\">issue-coupon</th><td>issue</td><td></td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td>");
        body.Should().Contain("<th scope=\"row\">revoke-coupon</th><td>revoke</td><td></td><td>0</td><td>0</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td>");
    }

    [Fact]
    public async Task AJourneyWithoutCouponSteps_HasNoCouponTable()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.SeedAsync();

        var (_, body) = await DashboardForms.GetAsync(host.CreateClient(), "/journeys/journey/checkout-recovery?period=30d");

        body.Should().Contain("<h2>Steps</h2>").And.NotContain("Coupon steps");
    }

    private static JourneyDefinition CouponJourney() =>
        Journey.When<CheckoutAbandoned>()
            .Named("coupon-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .After(30.Minutes()).IssueCoupon(c => c.Named("RELANCE-10").PercentOff(10).ValidFor(24.Hours()), "issue-coupon")
            .Then().After(24.Hours()).RevokeCoupon("revoke-coupon")
            .Build();

    private sealed class NumberingCoupons : ICouponService
    {
        private int _issued;
        private int _revoked;

        public int Issued => _issued;

        public int Revoked => _revoked;

        public ValueTask<string> IssueAsync(CouponRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult("CODE-" + Interlocked.Increment(ref _issued));

        public ValueTask ChangeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask RevokeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _revoked);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task AnUnknownJourney_IsNotFound()
    {
        await using var host = await DashboardHost.StartAsync();

        var (status, _) = await DashboardForms.GetAsync(host.CreateClient(), "/journeys/journey/nope");

        status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Preview_RendersEveryMessageStep_EmailsSandboxed_SmsWithSegments()
    {
        await using var host = await DashboardHost.StartAsync(d => d.AddSampleEvent(new ShopWeb.Shop.CheckoutAbandoned("O-PREVIEW", d.SampleCustomer, [new ShopWeb.Shop.CartItem("Lamp", 40m)])));

        var (status, body) = await DashboardForms.GetAsync(host.CreateClient(), "/journeys/journey/checkout-recovery/preview");

        status.Should().Be(HttpStatusCode.OK);
        body.Should().Contain("Your basket expires tonight").And.Contain("Anything wrong with the payment?");
        body.Should().Contain("<iframe sandbox=\"\"").And.Contain("O-PREVIEW").And.Contain("1 segment");
    }

    [Fact]
    public async Task Preview_WithoutASample_UsesTheLastRealTriggerMasked_WithAMadeUpCustomer()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.SeedAsync();

        var (_, body) = await DashboardForms.GetAsync(host.CreateClient(), "/journeys/journey/checkout-recovery/preview");

        body.Should().Contain("the last real CheckoutAbandoned").And.Contain("personal data masked").And.Contain("Camille Exemple");
        body.Should().NotContain("C3@example.com").And.NotContain("Customer C3").And.NotContain("Bag");
    }

    [Fact]
    public async Task Instances_FindsByOrderIdAndByCustomerId_AndShowsTheTimelineInBothZones()
    {
        await using var host = await DashboardHost.StartAsync(d => d.TimeZone = NodaTime.DateTimeZoneProviders.Tzdb["Europe/Paris"]);
        await host.SeedAsync();
        var client = host.CreateClient();
        var instance = (await host.Engine.FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: "O-2"))).Single();

        var byOrder = await DashboardForms.GetAsync(client, "/journeys/instances?q=O-2");
        var byCustomer = await DashboardForms.GetAsync(client, "/journeys/instances?q=C2");
        var timeline = await DashboardForms.GetAsync(client, $"/journeys/instance/{instance.Id}");

        byOrder.Body.Should().Contain($"/journeys/instance/{instance.Id}").And.Contain("1 instance(s)");
        byCustomer.Body.Should().Contain($"/journeys/instance/{instance.Id}");
        // Entered at 09:00 UTC on 20/11: 10:00 in Paris, 04:00 in Montreal.
        timeline.Body.Should().Contain("20/11/2026 10:00:00 Europe/Paris").And.Contain("20/11/2026 04:00:00 America/Montreal").And.Contain("Entered");
    }

    [Fact]
    public async Task Failures_ListsTheFailedSteps_PerChannel()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.SeedAsync();

        var (_, body) = await DashboardForms.GetAsync(host.CreateClient(), "/journeys/failures");

        body.Should().Contain("<h2>sms</h2>").And.Contain("1 failed").And.Contain("The SMS provider refused the number.");
    }
}
