using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;

namespace Recovery.Journeys.Webhooks.Tests.Fixtures;

public static class Deliveries
{
    public const string Secret = "whsec_9f2c1d7e4b8a6f30c5e1d2b7a4f8c6e0";

    public static Customer Helene { get; } = new("cust-helene") { Name = "Hélène", Email = "helene@client.example" };

    /// <summary>A delivery as the engine makes it: a fresh instance, key <c>{instance}:{step}</c>.</summary>
    public static Delivery<WebhookMessage> Webhook(WebhookMessage message, string stepId = "notify-crm")
    {
        var instance = JourneyInstanceId.New();
        return new Delivery<WebhookMessage>(message, Helene, $"{instance}:{stepId}", "checkout-recovery", stepId, instance, FakeClock.DefaultStart);
    }

    public static Delivery<WebhookMessage> Webhook(string url, string body = """{"event":"checkout.abandoned","orderId":"CMD-42","customer":"Hélène 🛒"}""") =>
        Webhook(new WebhookMessage(url, body));

    public static WebhookOptions Options(TimeSpan? timeout = null) => new() { Secret = Secret, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
}
