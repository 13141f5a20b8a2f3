using System.Net;
using System.Net.Http.Json;
using Recovery.Journeys.AspNetCore.Tests.Fixtures;

namespace Recovery.Journeys.AspNetCore.Tests;

/// <summary>The preview page of samples/ShopWeb: the host's sample event as given, or the last real one with its personal data masked.</summary>
public sealed class DashboardPreviewTests
{
    [Fact]
    public async Task WithoutASample_TheLastRealEventIsMasked_ItsNameAddressPhoneEmailAndIdsNeverReachThePage()
    {
        await using var factory = new ShopWebFactory { SeedDays = 0, PreviewSamples = false };
        var client = factory.CreateClient();
        using var published = await client.PostAsJsonAsync("/events/checkout-abandoned", new
        {
            orderId = "O-GENEVA-77",
            customer = new
            {
                id = "C-MV-9",
                name = "Margaux Vuilleumier",
                email = "margaux.vuilleumier@example.ch",
                phone = "+41 79 555 01 23",
                culture = "fr-CH",
                timeZone = "Europe/Zurich",
                attributes = new Dictionary<string, string> { ["shippingAddress"] = "Chemin des Grillons 14, 1205 Geneva" },
            },
            items = new[] { new { name = "Engraved pen: for Margaux from Jonas", price = 45 } },
        });
        published.StatusCode.Should().Be(HttpStatusCode.OK);

        var (status, body) = await DashboardForms.GetAsync(client, "/journeys/journey/checkout-recovery/preview");

        status.Should().Be(HttpStatusCode.OK);
        body.Should().Contain("the last real CheckoutAbandoned").And.Contain("with its personal data masked");
        body.Should().Contain("Your basket expires tonight").And.Contain("Camille Exemple").And.Contain("[masked]");
        foreach (var personal in new[] { "Margaux", "Vuilleumier", "margaux.vuilleumier", "555 01 23", "5550123", "Grillons", "1205", "Jonas", "O-GENEVA-77", "C-MV-9" })
        {
            body.Should().NotContain(personal, "the preview of a real event masks its personal data");
        }
    }

    [Fact]
    public async Task TheHostsSampleEvent_IsRenderedAsGiven()
    {
        await using var factory = new ShopWebFactory { SeedDays = 0 };

        var (status, body) = await DashboardForms.GetAsync(factory.CreateClient(), "/journeys/journey/checkout-recovery/preview");

        status.Should().Be(HttpStatusCode.OK);
        body.Should().Contain("the sample CheckoutAbandoned the host registered, as given").And.NotContain("[masked]");
        body.Should().Contain("O-SAMPLE").And.Contain("Trail shoes").And.Contain("Wool scarf");
    }

    [Fact]
    public async Task WithoutASampleOrAnEvent_ThePageSaysHowToGetOne()
    {
        await using var factory = new ShopWebFactory { SeedDays = 0, PreviewSamples = false };

        var (status, body) = await DashboardForms.GetAsync(factory.CreateClient(), "/journeys/journey/payment-retry/preview");

        status.Should().Be(HttpStatusCode.OK);
        body.Should().Contain("No preview: register a sample event").And.NotContain("<section>");
    }
}
