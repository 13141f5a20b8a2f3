using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Time;
using Recovery.Journeys.Webhooks;

namespace CheckoutRecovery.Tests.Documentation.Channels;

/// <summary>The code of docs/channels.md, compiled; <see cref="ChannelsSnippetsTests"/> runs it.</summary>
public static class ChannelsSnippets
{
    // ## Reference channels: SMTP e-mail
    public static void RegisterSmtp(IServiceCollection services, IConfiguration configuration, JourneyDefinition checkoutRecovery)
    {
        // begin-snippet: channels-smtp
        services.AddRecoveryJourneys(journeys => journeys
            .AddJourney(checkoutRecovery)
            .UseSmtpEmail(smtp =>
            {
                smtp.Host = "smtp.example.com";
                smtp.Port = 587;
                smtp.EnableSsl = true;
                smtp.FromAddress = "boutique@example.com";
                smtp.FromDisplayName = "Ma Boutique";
                smtp.UserName = "boutique";
                smtp.Password = configuration["Smtp:Password"];
            }));
        // end-snippet
    }

    // ## Reference channels: webhooks
    public static void RegisterWebhooks(IServiceCollection services, IConfiguration configuration)
    {
        // begin-snippet: channels-webhooks
        services.AddRecoveryJourneys(journeys => journeys
            .AddJourney(Journey.When<OrderUnpaid>()
                .Named("unpaid-order-coupon")
                .CorrelateBy(e => e.OrderId)
                .ForCustomer(e => e.Customer)
                .After(30.Minutes()).Send("coupon-eligible", c => new WebhookMessage(
                    "https://coupons.example.com/hooks/eligible",
                    JsonSerializer.Serialize(new { customerId = c.Event.Customer.Id, offer = c.Event.Offer })))
                .Build())
            .UseWebhooks(webhooks => webhooks.Secret = configuration["Webhooks:Secret"]!));
        // end-snippet
    }

    // #### Verifying a call on the receiver
    public static void MapEligibilityHook(WebApplication app, string secret)
    {
        // begin-snippet: channels-webhook-receiver
        app.MapPost("/hooks/eligible", async (HttpRequest request, TimeProvider time, IEligibleCustomers eligible) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            if (!WebhookSignature.Verify(secret, request.Headers["Recovery-Signature"], body, time.GetUtcNow(), WebhookSignature.DefaultTolerance))
            {
                return Results.Unauthorized(); // permanent for the sender: a wrong secret does not fix itself
            }

            var key = request.Headers["Idempotency-Key"].ToString();
            await eligible.AddOnceAsync(key, JsonSerializer.Deserialize<Eligibility>(body, JsonSerializerOptions.Web)!); // no-op for a key already handled
            return Results.NoContent();
        });
        // end-snippet
    }
}

// ## Implementing a channel: the skeleton takes the HttpClient it would call the provider with, and does not use it yet.
#pragma warning disable CS9113 // Parameter is unread.
// begin-snippet: channels-my-push-channel
public sealed class MyPushChannel(HttpClient http) : IChannel<PushMessage>
{
    public async ValueTask<DeliveryReceipt> SendAsync(Delivery<PushMessage> delivery, CancellationToken cancellationToken)
    {
        await Task.Yield();
        // Call the provider with delivery.Message, delivery.Recipient.PushToken and delivery.IdempotencyKey, then:
        return DeliveryReceipt.Sent(providerMessageId: null);
    }
}
// end-snippet
#pragma warning restore CS9113

/// <summary>What the webhook of docs/channels.md says: this customer may have this offer.</summary>
public sealed record Eligibility(string CustomerId, string Offer);

/// <summary>The receiver's own list of eligible customers, which handles each idempotency key once.</summary>
public interface IEligibleCustomers
{
    ValueTask AddOnceAsync(string idempotencyKey, Eligibility eligibility, CancellationToken cancellationToken = default);
}
