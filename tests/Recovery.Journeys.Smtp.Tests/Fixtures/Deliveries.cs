using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;

namespace Recovery.Journeys.Smtp.Tests.Fixtures;

public static class Deliveries
{
    public static Customer Helene { get; } = new("cust-helene") { Name = "Hélène Dupré", Email = "helene@client.example", Culture = "fr-FR" };

    /// <summary>A delivery as the engine makes it: a fresh instance, key <c>{instance}:{step}</c>.</summary>
    public static Delivery<EmailMessage> Email(EmailMessage message, Customer? to = null, string stepId = "email-reminder")
    {
        var instance = JourneyInstanceId.New();
        return new Delivery<EmailMessage>(message, to ?? Helene, $"{instance}:{stepId}", "checkout-recovery", stepId, instance, FakeClock.DefaultStart);
    }

    public static Delivery<EmailMessage> Email(string subject, string? html, string? text, Customer? to = null) =>
        Email(new EmailMessage(subject, html, text), to);
}
