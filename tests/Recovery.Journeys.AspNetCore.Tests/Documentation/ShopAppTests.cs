using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Recovery.Journeys.AspNetCore.Tests.Fixtures;
using ShopWeb.Shop;

namespace Recovery.Journeys.AspNetCore.Tests.Documentation;

/// <summary>The app of docs/aspnetcore.md does what the page says: viewers from afar, actions for operators only.</summary>
public sealed class ShopAppTests
{
    [Fact]
    public async Task TheDocumentedApp_ServesViewersReadOnly_AndOperatorsWithActions()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthentication(TestAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthentication>(TestAuthentication.SchemeName, null);
        await using var app = ShopApp.Build(builder, ShopJourneys.CheckoutRecovery, RandomNumberGenerator.GetBytes(32));
        await app.StartAsync();
        var client = app.GetTestClient();

        var anonymous = await DashboardForms.GetAsync(client, "/journeys/");
        var support = await DashboardForms.GetAsync(client, "/journeys/journey/checkout-recovery", user: "alice:support");
        var marketing = await DashboardForms.GetAsync(client, "/journeys/journey/checkout-recovery", user: "bob:marketing");
        var health = await client.GetAsync("/health");

        anonymous.Status.Should().Be(HttpStatusCode.Unauthorized);
        support.Body.Should().Contain("Read-only for you").And.NotContain("Pause checkout-recovery");
        marketing.Body.Should().Contain("Pause checkout-recovery").And.Contain("Boutique recovery");
        health.StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable);
        await app.StopAsync();
    }
}
