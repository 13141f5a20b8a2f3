using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>
/// The code of docs/getting-started.md, compiled: each <c>// begin-snippet</c> region is a block of the page, word for
/// word (<see cref="Snippets.SnippetRegionsTests"/>); <see cref="DocumentationSnippetsTests"/> runs the snippets.
/// </summary>
public static class GettingStartedSnippets
{
    // ## Define a journey
    // begin-snippet: getting-started-checkout-recovery
    public static JourneyDefinition CheckoutRecovery() =>
        Journey.When<CheckoutAbandoned>(e => e.SecondsOnPaymentPage > 30)
            .Named("checkout-recovery")
            .Version(1)
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .OnReentry(ReentryPolicy.Ignore)
            .OnStepFailure(StepFailurePolicy.Continue)
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .ExitWhen<OrderCancelled>(e => e.OrderId, exit => exit.NotAConversion())
            // begin-snippet: getting-started-compute
            .Compute("minutesLeft", c => (int)(c.StartedAt + 20.Minutes() - c.Now).TotalMinutes)
            // end-snippet
            .AfterStart(5.Minutes()).Push("push-reminder", p => p
                .Title("Commande {{event.OrderId}}")
                .Body("Votre commande n'est pas payée. Il ne vous reste que {{values.minutesLeft}} minutes pour profiter de la remise !")
                .Icon("⏳")
                .DeepLink("myshop://checkout/pay?order={{event.OrderId}}")
                .Data("orderId", "{{event.OrderId}}"))
            .Then().AfterStart(1.Hours()).Email("email-reminder", m => m
                .Subject("Offre à durée limitée bientôt expirée ! Finalisez votre commande maintenant")
                .HtmlBody("<p>Bonjour {{customer.name}},</p>{{#each event.Items}}<img src=\"{{ImageUrl}}\" alt=\"{{Name}}\">{{/each}}")
                .TextBody("Bonjour {{customer.name}}, votre commande {{event.OrderId}} vous attend."))
            .Then().AfterStart(24.Hours()).Push("push-extra-offer", p => p
                .Body("Payez dans les 30 minutes pour bénéficier de 10 % de remise SUPPLÉMENTAIRE !"))
            .Build();
    // end-snippet

    // ### The customer: ForCustomer or ForCustomerId
    // begin-snippet: getting-started-by-customer-id
    public static JourneyDefinition ByCustomerId() =>
        Journey.When<CheckoutAbandoned>()
            .Named("checkout-by-customer-id")
            .CorrelateBy(e => e.OrderId)
            .ForCustomerId(e => e.Customer.Id)
            .After(1.Hours()).Email(m => m.Subject("Bonjour {{customer.name}}").TextBody("Votre panier vous attend."))
            .Build();

    public static void RegisterDirectory(IServiceCollection services) =>
        services.AddRecoveryJourneys(j => j
            .AddJourney(ByCustomerId())
            .AddChannel<EmailMessage, MyEmailChannel>()
            .UseCustomerDirectory<ShopCustomerDirectory>());
    // end-snippet

    // ### Timing: After, AfterStart, Then
    // begin-snippet: getting-started-timings
    public static JourneyDefinition Timings() =>
        Journey.When<CheckoutAbandoned>()
            .Named("timings")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .Push(p => p.Body("Sent as soon as the journey starts"))
            .Then().After(1.Hours()).Sms(s => s.Text("1 h after the push ran"))
            .Then().AfterStart(1.Days()).Email(m => m.Subject("24 h after the start").TextBody("Votre panier vous attend."))
            .Build();
    // end-snippet

    // ### Other channels: Send<TMessage>
    // begin-snippet: getting-started-other-channels
    public static JourneyDefinition OtherChannels() =>
        Journey.When<CheckoutAbandoned>()
            .Named("other-channels")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .Webhook("https://crm.example.com/hooks/abandoned", c => new { order = c.Event.OrderId }, stepId: "notify-crm")
            .AddToCrmList("cart-abandoners")
            .Then().After(2.Hours()).Send(c => new WhatsAppTemplate("cart_reminder", [c.Customer!.Name ?? "", c.Event.OrderId]))
            .Build();
    // end-snippet

    // ### Several channels in one step: Fallback, FanOut
    // begin-snippet: getting-started-several-channels
    public static JourneyDefinition SeveralChannels() =>
        Journey.When<CheckoutAbandoned>()
            .Named("several-channels")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .FanOut("push-everywhere", c => c
                .Push(p => p.Body("Votre panier vous attend"))
                .WebPush(w => w.Title("Votre panier").Body("Il vous attend").Url("https://shop.example.com/cart")))
            .Then().After(1.Hours()).Fallback("sms-or-email", c => c
                .Sms(s => s.Text("Votre panier vous attend : https://shop.example.com/cart"))
                .Email(m => m.Subject("Votre panier vous attend").TextBody("https://shop.example.com/cart")))
            .Build();
    // end-snippet

    // ### Host actions: Do
    // begin-snippet: getting-started-with-coupon
    public static JourneyDefinition WithCoupon(ICouponList coupons) =>
        Journey.When<CheckoutAbandoned>()
            .Named("coupon")
            .CorrelateBy(e => e.OrderId)
            .After(30.Minutes()).Do("add-to-coupon-list", (c, cancellationToken) =>
                coupons.AddAsync(c.Event.Customer.Id, "RELANCE10", cancellationToken))
            .Then().After(1.Days()).Do("remove-from-coupon-list", (c, cancellationToken) =>
                coupons.RemoveAsync(c.Event.Customer.Id, "RELANCE10", cancellationToken))
            .Build();
    // end-snippet

    // ### Exits: ExitWhen
    public static JourneyBuilder<CheckoutAbandoned> Exits(JourneyBuilder<CheckoutAbandoned> journey) =>
        journey
            // begin-snippet: getting-started-exits
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit
                .Where(e => e.Amount > 0)
                .WithValue(e => e.Amount))
            .ExitWhen<OrderCancelled>(e => e.OrderId, exit => exit.NotAConversion());
            // end-snippet

    // ### Build and its validation errors
    // begin-snippet: getting-started-misspelt
    public static JourneyDefinitionException? Misspelt()
    {
        try
        {
            Journey.When<CheckoutAbandoned>()
                .Named("checkout-recovery")
                .CorrelateBy(e => e.OrderId)
                .ForCustomer(e => e.Customer)
                .Email("mail", m => m.Subject("Commande {{event.OrderNumber}}").TextBody("..."))
                .Build();
            return null;
        }
        catch (JourneyDefinitionException e)
        {
            // e.JourneyName == "checkout-recovery", e.StepId == "mail", e.Message ==
            // "Journey 'checkout-recovery', step 'mail': the subject template is invalid:
            //  '{{event.OrderNumber}}' (line 1): CheckoutAbandoned has no field 'OrderNumber'"
            return e;
        }
    }
    // end-snippet

    // ## Register with dependency injection
    // begin-snippet: getting-started-run-host
    public static async Task RunHostAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSingleton<HttpClient>();
        builder.Services.AddRecoveryJourneys(journeys => journeys
            .AddJourney(CheckoutRecovery())
            .AddChannel<PushMessage, MyPushChannel>()
            .AddChannel<EmailMessage, MyEmailChannel>()
            .ConfigureEngine(engine => engine.MaxConcurrentSteps = 32)
            .ConfigureScheduler(scheduler => scheduler.PollInterval = 10.Seconds()));

        using var host = builder.Build();
        await host.RunAsync();
    }
    // end-snippet

    // ## Retries and timeouts
    // begin-snippet: getting-started-register-with-retries
    public static void RegisterWithRetries(IServiceCollection services) =>
        services.AddRecoveryJourneys(journeys => journeys
            .AddJourney(SeveralChannels())
            .AddChannel<PushMessage, MyPushChannel>()
            .AddChannel<WebPushMessage, MyWebPushChannel>()
            .AddChannel<SmsMessage, MySmsChannel>()
            .AddChannel<EmailMessage, MyEmailChannel>()
            .ConfigureEngine(engine =>
            {
                engine.Retry = new RetryOptions { MaxAttempts = 5, FirstDelay = 30.Seconds(), BackoffFactor = 3, MaxDelay = 30.Minutes() };
                engine.SendTimeout = 10.Seconds();
            }));
    // end-snippet

    // ## Read a timeline
    // begin-snippet: getting-started-print-timeline
    public static async Task PrintTimelineAsync(JourneyEngine engine, string orderId, CancellationToken cancellationToken)
    {
        var query = new JourneyInstanceQuery(JourneyName: "checkout-recovery", CorrelationKey: orderId);
        foreach (var instance in await engine.FindInstancesAsync(query, cancellationToken))
        {
            Console.WriteLine($"{instance.Id}: {instance.Status} {instance.EndReason}");
            foreach (var record in await engine.GetTimelineAsync(instance.Id, cancellationToken))
            {
                Console.WriteLine($"  {record.At} {record.Kind} {record.StepId} {record.Detail} {record.Value}");
            }
        }
    }
    // end-snippet

    // begin-snippet: getting-started-conversions-by-step
    public static async Task<Dictionary<string, (int Orders, decimal Revenue)>> ConversionsByStepAsync(IJourneyStore store, CancellationToken cancellationToken)
    {
        var byStep = new Dictionary<string, (int Orders, decimal Revenue)>();
        await foreach (var record in store.ReadRecordsAsync(new JourneyRecordQuery(JourneyName: "checkout-recovery"), cancellationToken))
        {
            if (record.Kind == JourneyRecordKind.Converted)
            {
                var step = record.StepId ?? "(before any message)";
                var (orders, revenue) = byStep.GetValueOrDefault(step);
                byStep[step] = (orders + 1, revenue + (record.Value ?? 0m));
            }
        }

        return byStep;
    }
    // end-snippet
}

// ### Other channels: Send<TMessage>
// begin-snippet: getting-started-whatsapp-template
[ChannelName("whatsapp")]
public sealed record WhatsAppTemplate(string TemplateName, IReadOnlyList<string> Parameters);
// end-snippet

// ### Host actions: Do
public interface ICouponList
{
    ValueTask AddAsync(string customerId, string coupon, CancellationToken cancellationToken);

    ValueTask RemoveAsync(string customerId, string coupon, CancellationToken cancellationToken);
}

// ### The customer: ForCustomer or ForCustomerId
// begin-snippet: getting-started-customer-directory
public sealed class ShopCustomerDirectory : ICustomerDirectory
{
    private readonly ConcurrentDictionary<string, Customer> _customers = new();

    public void Save(Customer customer) => _customers[customer.Id] = customer;

    public ValueTask<Customer?> FindAsync(string customerId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_customers.GetValueOrDefault(customerId));
}
// end-snippet

// ## Implement a channel
// begin-snippet: getting-started-my-push-channel
public sealed class MyPushChannel(HttpClient http) : IChannel<PushMessage>
{
    public async ValueTask<DeliveryReceipt> SendAsync(Delivery<PushMessage> delivery, CancellationToken cancellationToken)
    {
        if (delivery.Recipient.PushToken is not { } token)
        {
            return DeliveryReceipt.Skipped("no push token");
        }

        var push = delivery.Message;
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://push.example.com/v1/send")
        {
            Content = JsonContent.Create(new { token, push.Title, push.Body, push.Icon, push.DeepLink, push.Data }),
        };

        // The provider ignores a second request with the same key: a step that is retried is delivered once.
        request.Headers.Add("Idempotency-Key", delivery.IdempotencyKey);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode(); // a throw is retried with backoff, then recorded as the step's failure
        return DeliveryReceipt.Sent(response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.First() : null);
    }
}
// end-snippet

// ## Retries and timeouts: permanent and transient failures
// begin-snippet: getting-started-my-sms-channel
public sealed class MySmsChannel(HttpClient http) : IChannel<SmsMessage>
{
    public async ValueTask<DeliveryReceipt> SendAsync(Delivery<SmsMessage> delivery, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            "https://sms.example.com/v1/messages",
            new { to = delivery.Recipient.Phone, delivery.Message.Text, delivery.IdempotencyKey },
            cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
        {
            // The gateway rejects the number or the text: sending again cannot help, the step's next channel takes over.
            throw new PermanentDeliveryException($"the SMS gateway refused the message ({(int)response.StatusCode})");
        }

        response.EnsureSuccessStatusCode(); // 429, 5xx, a network error: transient, retried with backoff
        return DeliveryReceipt.Sent();
    }
}
// end-snippet

// Stands for the browser push channel of ## Retries and timeouts; its shape is that of MyPushChannel.
public sealed class MyWebPushChannel(HttpClient http) : IChannel<WebPushMessage>
{
    public async ValueTask<DeliveryReceipt> SendAsync(Delivery<WebPushMessage> delivery, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(delivery.Recipient.WebPushEndpoint, delivery.Message, cancellationToken);
        response.EnsureSuccessStatusCode();
        return DeliveryReceipt.Sent();
    }
}

// begin-snippet: getting-started-my-email-channel
public sealed class MyEmailChannel(HttpClient http) : IChannel<EmailMessage>
{
    public async ValueTask<DeliveryReceipt> SendAsync(Delivery<EmailMessage> delivery, CancellationToken cancellationToken)
    {
        if (delivery.Recipient.Email is not { } address)
        {
            return DeliveryReceipt.Skipped("no e-mail address");
        }

        var email = delivery.Message;
        using var response = await http.PostAsJsonAsync(
            "https://mail.example.com/v1/messages",
            new { to = address, email.Subject, email.HtmlBody, email.TextBody, delivery.IdempotencyKey },
            cancellationToken);
        response.EnsureSuccessStatusCode();
        return DeliveryReceipt.Sent();
    }
}
// end-snippet

// ## Register with dependency injection: publish the shop's events
// begin-snippet: getting-started-checkout-events
public sealed class CheckoutEvents(JourneyEngine journeys)
{
    // The result's Started is empty when the entry filter said no (a visit of 30 s or less).
    public ValueTask<PublishResult> OnPaymentPageLeftAsync(CheckoutAbandoned abandoned, CancellationToken cancellationToken) =>
        journeys.PublishAsync(abandoned, cancellationToken);

    public ValueTask<PublishResult> OnOrderPaidAsync(OrderPaid paid, CancellationToken cancellationToken) =>
        journeys.PublishAsync(paid, cancellationToken);
}
// end-snippet
