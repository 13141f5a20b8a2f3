using System.Net;
using Recovery.Journeys.AspNetCore.Tests.Fixtures;
using Recovery.Journeys.Ports;

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
