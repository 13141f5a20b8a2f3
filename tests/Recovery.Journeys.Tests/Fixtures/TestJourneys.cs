using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Fixtures;

/// <summary>The S1 journey of the requirements, as the tests use it.</summary>
public static class TestJourneys
{
    public static JourneyBuilder<CheckoutAbandoned> CheckoutRecoveryBuilder() =>
        Journey.When<CheckoutAbandoned>(e => e.SecondsOnPaymentPage > 30)
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .Compute("minutesLeft", c => (int)(c.StartedAt + 20.Minutes() - c.Now).TotalMinutes)
            .AfterStart(5.Minutes()).Push("push-reminder", p => p
                .Title("⏳ Commande {{event.OrderId}}")
                .Body("Votre commande n'est pas payée. Il ne vous reste que {{values.minutesLeft}} minutes pour profiter de la remise !")
                .Icon("⏳")
                .DeepLink("myshop://checkout/pay?order={{event.OrderId}}"))
            .Then().AfterStart(1.Hours()).Email("email-reminder", m => m
                .Subject("Offre à durée limitée bientôt expirée ! Finalisez votre commande maintenant")
                .HtmlBody("<p>Bonjour {{customer.name}},</p>{{#each event.Items}}<img src=\"{{ImageUrl}}\" alt=\"{{Name}}\">{{/each}}")
                .TextBody("Bonjour {{customer.name}}, commande {{event.OrderId}}"))
            .Then().AfterStart(24.Hours()).Push("push-extra-offer", p => p
                .Body("Payez dans les 30 minutes pour bénéficier de 10 % de remise SUPPLÉMENTAIRE !"));

    public static JourneyDefinition CheckoutRecovery() => CheckoutRecoveryBuilder().Build();
}
