using System.Net;
using Recovery.Journeys.AspNetCore.Tests.Fixtures;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;
using ShopWeb.Shop;

namespace Recovery.Journeys.AspNetCore.Tests;

public sealed class DashboardActionTests
{
    [Fact]
    public async Task PauseThenResume_HoldsTheDueStep_AndRecordsItOnTheTimeline()
    {
        await using var host = await DashboardHost.StartAsync();
        var client = host.CreateClient();
        const string Page = "/journeys/journey/payment-retry";
        await DashboardForms.PostFromPageAsync(client, Page, Page + "/pause", new Dictionary<string, string> { ["admit"] = "true" });
        var started = await host.Engine.PublishAsync(new PaymentFailed("O-9", new Customer("C9") { Phone = "+33699999999" }, 50m));
        await host.RunUntilAsync(DashboardHost.Start + 20.Minutes());
        var sentWhilePaused = host.Channels.Sent.Count;

        using var resumed = await DashboardForms.PostFromPageAsync(client, Page, Page + "/resume", new Dictionary<string, string>());
        await host.RunUntilAsync(DashboardHost.Start + 21.Minutes());
        var timeline = await host.Engine.GetTimelineAsync(started.Started.Single());

        sentWhilePaused.Should().Be(0);
        resumed.Headers.Location!.OriginalString.Should().StartWith(Page + "?notice=");
        (await host.Engine.GetPausesAsync()).Should().BeEmpty();
        timeline.Select(r => r.Kind).Should().ContainInOrder(JourneyRecordKind.Held, JourneyRecordKind.Sent);
        host.Channels.Sent.Should().ContainSingle();
    }

    [Fact]
    public async Task Cancel_EndsTheInstanceWithTheOperatorsReason()
    {
        await using var host = await DashboardHost.StartAsync();
        var started = await host.Engine.PublishAsync(new PaymentFailed("O-9", new Customer("C9") { Phone = "+33699999999" }, 50m));
        var id = started.Started.Single();
        var page = $"/journeys/instance/{id}";

        using var response = await DashboardForms.PostFromPageAsync(host.CreateClient(), page, page + "/cancel", new Dictionary<string, string> { ["reason"] = "customer called" });
        var instance = (await host.Engine.FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: "O-9"))).Single();

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        instance.Status.Should().Be(JourneyStatus.Exited);
        instance.EndReason.Should().Be("cancelled by a local operator: customer called");
    }

    [Fact]
    public async Task Erase_NeedsTheCustomerIdTwice_ThenRemovesTheirInstances()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.SeedAsync();
        var client = host.CreateClient();

        using var mismatch = await DashboardForms.PostFromPageAsync(client, "/journeys/instances", "/journeys/customer/erase", new Dictionary<string, string> { ["customer"] = "C2", ["confirm"] = "C3" });
        var afterMismatch = await host.Engine.FindInstancesAsync(new JourneyInstanceQuery(CustomerId: "C2"));
        using var erased = await DashboardForms.PostFromPageAsync(client, "/journeys/instances", "/journeys/customer/erase", new Dictionary<string, string> { ["customer"] = "C2", ["confirm"] = "C2" });

        afterMismatch.Should().ContainSingle();
        Uri.UnescapeDataString(mismatch.Headers.Location!.OriginalString).Should().Contain("Nothing erased");
        Uri.UnescapeDataString(erased.Headers.Location!.OriginalString).Should().Contain("Erased 1 instance(s) of customer C2");
        (await host.Engine.FindInstancesAsync(new JourneyInstanceQuery(CustomerId: "C2"))).Should().BeEmpty();
        (await host.Engine.FindInstancesAsync(new JourneyInstanceQuery(CustomerId: "C1"))).Should().ContainSingle();
    }
}
