using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Time;

namespace ShopWeb.Shop;

/// <summary>The shop's journeys: basket reminders with an A/B test and a holdout, and a nudge after a declined card.</summary>
public static class ShopJourneys
{
    /// <summary>E-mail after 30 minutes (two subjects tested), SMS after a day; 10 % of customers held out to measure it all.</summary>
    public static JourneyDefinition CheckoutRecovery { get; } = Journey.When<CheckoutAbandoned>()
        .Named("checkout-recovery")
        .CorrelateBy(e => e.OrderId)
        .ForCustomer(e => e.Customer)
        .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
        .Holdout(10)
        .AfterStart(30.Minutes()).Experiment("reminder-subject", test => test
            .Variant("urgent", 50, p => p.Email("email-urgent", m => m
                .Subject("Your basket expires tonight")
                .HtmlBody("<h1>Hello {{customer.name}}</h1><p>Your {{#each event.Items}}{{Name}}, {{/each}}are waiting. Order {{event.OrderId}} is kept until midnight.</p><p><a href=\"https://shop.example.com/pay/{{event.OrderId}}\">Pay now</a> · <a href=\"{{unsubscribeUrl}}\">Unsubscribe</a></p>")
                .TextBody("Hello {{customer.name}}, your basket is kept until midnight: https://shop.example.com/pay/{{event.OrderId}}")))
            .Variant("helpful", 50, p => p.Email("email-helpful", m => m
                .Subject("Anything wrong with the payment?")
                .HtmlBody("<h1>Hello {{customer.name}}</h1><p>Something stopped your order {{event.OrderId}}? Reply to this e-mail and we will help.</p><p><a href=\"https://shop.example.com/pay/{{event.OrderId}}\">Finish your order</a> · <a href=\"{{unsubscribeUrl}}\">Unsubscribe</a></p>")
                .TextBody("Hello {{customer.name}}, something stopped your order? https://shop.example.com/pay/{{event.OrderId}}"))))
        .Then().AfterStart(24.Hours()).Sms("sms-last-call", m => m.Text("ShopWeb: your basket {{event.OrderId}} is still waiting. Pay in 2 clicks: https://shop.example.com/pay/{{event.OrderId}}"))
        .Build();

    /// <summary>An SMS ten minutes after a declined card, unless the order is paid by then.</summary>
    public static JourneyDefinition PaymentRetry { get; } = Journey.When<PaymentFailed>()
        .Named("payment-retry")
        .CorrelateBy(e => e.OrderId)
        .ForCustomer(e => e.Customer)
        .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
        .AfterStart(10.Minutes()).Sms("sms-card-declined", m => m.Text("ShopWeb: your card was declined for order {{event.OrderId}}. Try another card: https://shop.example.com/pay/{{event.OrderId}}"))
        .Build();

    /// <summary>Every journey of the shop.</summary>
    public static IReadOnlyList<JourneyDefinition> All { get; } = [CheckoutRecovery, PaymentRetry];
}
