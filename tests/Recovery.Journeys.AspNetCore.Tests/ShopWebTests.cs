using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Recovery.Journeys.AspNetCore.Tests.Fixtures;
using Recovery.Journeys.Channels;
using ShopWeb.Channels;

namespace Recovery.Journeys.AspNetCore.Tests;

public sealed class ShopWebTests : IClassFixture<ShopWebFactory>
{
    private readonly ShopWebFactory _factory;

    public ShopWebTests(ShopWebFactory factory) => _factory = factory;

    [Fact]
    public async Task PublishAndFind_WriteIdsInstantsAndEnumsAsStrings()
    {
        var client = _factory.CreateClient();

        using var published = await client.PostAsJsonAsync("/events/checkout-abandoned", new
        {
            orderId = "O-JSON",
            customer = new { id = "C-JSON", email = "json@example.com" },
            items = new[] { new { name = "Scarf", price = 25 } },
        });
        var result = JsonDocument.Parse(await published.Content.ReadAsStringAsync()).RootElement;
        var found = JsonDocument.Parse(await client.GetStringAsync("/orders/O-JSON/journeys")).RootElement;

        published.StatusCode.Should().Be(HttpStatusCode.OK);
        result.GetProperty("isHandled").GetBoolean().Should().BeTrue();
        var id = result.GetProperty("started")[0].GetString();
        id.Should().MatchRegex("^[0-9a-f]{32}$");
        var instance = found.EnumerateArray().Single();
        instance.GetProperty("id").GetString().Should().Be(id);
        instance.GetProperty("journeyName").GetString().Should().Be("checkout-recovery");
        instance.GetProperty("status").GetString().Should().Be("Active");
        instance.GetProperty("startedAt").GetString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$");
        instance.GetProperty("trigger").GetProperty("orderId").GetString().Should().Be("O-JSON");
    }

    [Fact]
    public async Task TheDashboard_ShowsTheSeededHistory_ToLocalRequestsOnly()
    {
        var client = _factory.CreateClient();

        var local = await DashboardForms.GetAsync(client, "/journeys/?period=7d");
        var remote = await DashboardForms.GetAsync(client, "/journeys/", remote: true);

        local.Status.Should().Be(HttpStatusCode.OK);
        local.Body.Should().Contain("ShopWeb recovery").And.Contain(">checkout-recovery</a>").And.Contain("€");
        remote.Status.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Unsubscribe_GetChangesNothing_OneClickPostUnsubscribes_ATamperedLinkIsRefused()
    {
        var client = _factory.CreateClient();
        var link = _factory.Services.GetRequiredService<UnsubscribeLinks>().Create("C-UNSUB", "email");
        var consent = _factory.Services.GetRequiredService<ShopConsent>();

        var page = await client.GetAsync(link.PathAndQuery);
        var optedOutAfterGet = consent.OptedOut.Any(u => u.CustomerId == "C-UNSUB");
        using var oneClick = await client.PostAsync(link.PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        using var tampered = await client.PostAsync(link.PathAndQuery.Replace("C-UNSUB", "C-OTHER", StringComparison.Ordinal), new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("<form method=\"post\">");
        optedOutAfterGet.Should().BeFalse();
        oneClick.StatusCode.Should().Be(HttpStatusCode.OK);
        consent.OptedOut.Should().ContainSingle(u => u.CustomerId == "C-UNSUB" && u.Channel == "email" && u.OneClick);
        tampered.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        consent.OptedOut.Should().NotContain(u => u.CustomerId == "C-OTHER");
    }
}
