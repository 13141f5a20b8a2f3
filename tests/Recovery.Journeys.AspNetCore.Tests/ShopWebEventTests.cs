using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Recovery.Journeys.AspNetCore.Tests.Fixtures;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;

namespace Recovery.Journeys.AspNetCore.Tests;

/// <summary>samples/ShopWeb's endpoints for the shop's events, on a fake clock: what each answers, what reaches the store and the outbox.</summary>
public sealed class ShopWebEventTests
{
    private static readonly Instant Start = Instant.FromUtc(2026, 11, 20, 9, 0);

    [Fact]
    public async Task CheckoutAbandoned_StartsARecovery_KeepsItsTrigger_AndItsEmailReachesTheOutboxAfter30Minutes()
    {
        await using var factory = Factory();
        var client = factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/events/checkout-abandoned", Checkout("O-101", "C-101"));
        var started = (await Json(response)).GetProperty("started");
        var instance = (await Engine(factory).FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: "O-101"))).Single();
        var before = await OutboxAsync(client);
        await factory.RunUntilAsync(Start + Duration.FromMinutes(30));
        var after = await OutboxAsync(client);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        started.EnumerateArray().Select(s => s.GetString()).Should().Equal(instance.Id.ToString());
        instance.JourneyName.Should().Be("checkout-recovery");
        instance.CustomerId.Should().Be("C-101");
        instance.Status.Should().Be(JourneyStatus.Active);
        JsonDocument.Parse(instance.Trigger.ToJson()).RootElement.GetProperty("items")[0].GetProperty("name").GetString().Should().Be("Scarf");
        before.GetProperty("email").GetArrayLength().Should().Be(0);
        instance.Variables.Should().Contain("holdout", "journey", "C-101 is outside the journey's 10 % holdout, so it gets the e-mail");
        var email = after.GetProperty("email").EnumerateArray().Should().ContainSingle().Subject;
        email.GetProperty("id").GetString().Should().Be("C-101");
        (email.GetProperty("stepId").GetString(), email.GetProperty("subject").GetString()).Should().BeOneOf(
            ("email-urgent", "Your basket expires tonight"), ("email-helpful", "Anything wrong with the payment?"));
    }

    [Fact]
    public async Task OrderPaid_EndsTheRecoveryAsConverted_AndNothingIsSentAfter()
    {
        await using var factory = Factory();
        var client = factory.CreateClient();
        using var checkout = await client.PostAsJsonAsync("/events/checkout-abandoned", Checkout("O-200", "C-200"));
        var id = (await Json(checkout)).GetProperty("started")[0].GetString();

        using var paid = await client.PostAsJsonAsync("/events/order-paid", new { orderId = "O-200", amount = 25 });
        var ended = (await Json(paid)).GetProperty("ended");
        var journeys = JsonDocument.Parse(await client.GetStringAsync("/orders/O-200/journeys")).RootElement;
        await factory.RunUntilAsync(Start + Duration.FromDays(2));
        var outbox = await OutboxAsync(client);

        paid.StatusCode.Should().Be(HttpStatusCode.OK);
        ended.EnumerateArray().Select(e => e.GetString()).Should().Equal(id);
        journeys.EnumerateArray().Should().ContainSingle().Which.GetProperty("status").GetString().Should().Be("Converted");
        outbox.GetProperty("email").GetArrayLength().Should().Be(0);
        outbox.GetProperty("sms").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task PaymentFailed_StartsAPaymentRetry_WhoseSmsReachesTheOutboxAfter10Minutes_ARefusedNumberFails()
    {
        await using var factory = Factory();
        var client = factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/events/payment-failed", new { orderId = "O-300", customer = new { id = "C-300", phone = "+33612345678" }, amount = 114 });
        using var refused = await client.PostAsJsonAsync("/events/payment-failed", new { orderId = "O-301", customer = new { id = "C-301", phone = "+33612345600" }, amount = 60 });
        await factory.RunUntilAsync(Start + Duration.FromMinutes(10));
        var outbox = await OutboxAsync(client);
        var refusedInstance = (await Engine(factory).FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: "O-301"))).Single();
        var refusedTimeline = await Engine(factory).GetTimelineAsync(refusedInstance.Id);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        refused.StatusCode.Should().Be(HttpStatusCode.OK);
        var sms = outbox.GetProperty("sms").EnumerateArray().Should().ContainSingle().Subject;
        sms.GetProperty("id").GetString().Should().Be("C-300");
        sms.GetProperty("stepId").GetString().Should().Be("sms-card-declined");
        sms.GetProperty("text").GetString().Should().Contain("O-300");
        refusedInstance.JourneyName.Should().Be("payment-retry");
        refusedTimeline.Should().Contain(r => r.Kind == JourneyRecordKind.Failed && r.Channel == "sms");
    }

    [Fact]
    public async Task OrdersJourneys_OfAnUnknownOrder_IsAnEmptyList()
    {
        await using var factory = Factory();

        using var response = await factory.CreateClient().GetAsync("/orders/O-NONE/journeys");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await Json(response)).GetArrayLength().Should().Be(0);
    }

    [Theory]
    [InlineData("/events/checkout-abandoned", """{"customer":{"id":"C-1"},"items":[{"name":"Scarf","price":25}]}""", "orderId", "The order id is required.")]
    [InlineData("/events/checkout-abandoned", """{"orderId":"O-1","customer":{"email":"a@example.com"},"items":[{"name":"Scarf","price":25}]}""", "customer.id", "The customer's id is required.")]
    [InlineData("/events/checkout-abandoned", """{"orderId":"O-1","customer":{"id":"C-1"},"items":[]}""", "items", "At least one item is required.")]
    [InlineData("/events/checkout-abandoned", """{"orderId":"O-1","customer":{"id":"C-1"},"items":[{"name":"Scarf","price":-1}]}""", "items[0].price", "The price cannot be negative.")]
    [InlineData("/events/order-paid", """{"orderId":"O-1","amount":-5}""", "amount", "The amount cannot be negative.")]
    [InlineData("/events/payment-failed", """{"orderId":"O-1","amount":10}""", "customer", "The customer is required.")]
    public async Task AnInvalidEvent_Is400WithItsProblemByField_AndReachesNoJourney(string url, string json, string field, string problem)
    {
        await using var factory = Factory();

        using var response = await PostJsonAsync(factory.CreateClient(), url, json);
        var body = await Json(response);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        body.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()).Should().Equal(problem);
        (await Engine(factory).FindInstancesAsync(new JourneyInstanceQuery())).Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{"orderId":"O-1",""", "Path: $")]
    [InlineData("""{"orderId":"O-1","customer":{"id":"C-1"},"items":[{"name":"Scarf","price":"cheap"}]}""", "Path: $.items[0].price")]
    public async Task AnUnreadableBody_Is400SayingWhatAndWhere(string json, string where)
    {
        await using var factory = Factory();

        using var response = await PostJsonAsync(factory.CreateClient(), "/events/checkout-abandoned", json);
        var body = await Json(response);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        body.GetProperty("title").GetString().Should().Be("The request could not be read.");
        body.GetProperty("detail").GetString().Should().Contain("CheckoutAbandoned").And.Contain(where);
        (await Engine(factory).FindInstancesAsync(new JourneyInstanceQuery())).Should().BeEmpty();
    }

    [Fact]
    public async Task AnEventTheJourneyRefuses_Is400WithTheJourneysReason()
    {
        await using var factory = Factory();
        var tooLong = new string('O', JourneyLimitsMaxKeyLength + 1);

        using var response = await factory.CreateClient().PostAsJsonAsync("/events/checkout-abandoned", Checkout(tooLong, "C-1"));
        var body = await Json(response);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("title").GetString().Should().Be("The CheckoutAbandoned event was refused.");
        body.GetProperty("detail").GetString().Should().Contain("Journey 'checkout-recovery' cannot handle CheckoutAbandoned").And.Contain("correlation key");
        (await Engine(factory).FindInstancesAsync(new JourneyInstanceQuery())).Should().BeEmpty();
    }

    [Fact]
    public async Task Health_IsUnhealthyUntilTheWorkerRuns_ThenHealthy_AndTheRootRedirectsToTheDashboard()
    {
        await using var factory = Factory();
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var beforeRun = await client.GetAsync("/health");
        await Engine(factory).RunDueAsync();
        using var afterRun = await client.GetAsync("/health");
        using var root = await client.GetAsync("/");

        beforeRun.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        afterRun.StatusCode.Should().Be(HttpStatusCode.OK);
        (await afterRun.Content.ReadAsStringAsync()).Should().Be("Healthy");
        root.StatusCode.Should().Be(HttpStatusCode.Redirect);
        root.Headers.Location!.OriginalString.Should().Be("/journeys/");
    }

    /// <summary>The engine's limit on a correlation key (JourneyLimits.MaxKeyLength, internal to the core).</summary>
    private const int JourneyLimitsMaxKeyLength = 256;

    private static ShopWebFactory Factory() => new() { SeedDays = 0, Clock = new FakeClock(Start) };

    private static JourneyEngine Engine(ShopWebFactory factory) => factory.Services.GetRequiredService<JourneyEngine>();

    private static object Checkout(string orderId, string customerId) => new
    {
        orderId,
        customer = new { id = customerId, email = $"{customerId.ToLowerInvariant()}@example.com", phone = "+33611111111" },
        items = new[] { new { name = "Scarf", price = 25 } },
    };

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task<JsonElement> OutboxAsync(HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync("/outbox")).RootElement;
}
