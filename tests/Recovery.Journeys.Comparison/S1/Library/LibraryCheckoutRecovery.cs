using NodaTime;
using Recovery.Journeys.Comparison.Shop;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Comparison.S1.Library;

/// <summary>Scenario S1 with Recovery.Journeys: the README's Quick start, on the shop's events of this comparison.</summary>
public static class LibraryCheckoutRecovery
{
    public static JourneyDefinition Create() =>
        Journey.When<CheckoutAbandoned>(e => e.SecondsOnPaymentPage > 30)
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => new Customer(e.Shopper.Id) { Name = e.Shopper.Name, Email = e.Shopper.Email, PushToken = e.Shopper.PushToken })
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .Compute("minutesLeft", c => (int)(c.StartedAt + 20.Minutes() - c.Now).TotalMinutes)
            .AfterStart(Duration.FromTimeSpan(S1Timing.FirstPush)).Push(S1Timing.FirstPushStep, p => p.Icon("⏳").DeepLink("myshop://pay?order={{event.OrderId}}")
                .Body("Votre commande n'est pas payée. Il ne vous reste que {{values.minutesLeft}} minutes pour profiter de la remise !"))
            .Then().AfterStart(Duration.FromTimeSpan(S1Timing.Email)).Email(S1Timing.EmailStep, m => m
                .Subject("Offre à durée limitée bientôt expirée ! Finalisez votre commande maintenant")
                .HtmlBody("<p>Bonjour {{customer.name}},</p>{{#each event.Items}}<img src=\"{{ImageUrl}}\" alt=\"{{Name}}\">{{/each}}"))
            .Then().AfterStart(Duration.FromTimeSpan(S1Timing.ExtraOffer)).Push(S1Timing.ExtraOfferStep, p => p.Body("Payez dans les 30 minutes pour bénéficier de 10 % de remise SUPPLÉMENTAIRE !"))
            .Build();
}
