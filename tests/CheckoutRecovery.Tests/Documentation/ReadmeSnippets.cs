// begin-snippet: readme-usings
using Microsoft.Extensions.DependencyInjection;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Time;
// end-snippet
using Recovery.Journeys.Definition;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>The quick start of README.md, compiled (<see cref="Snippets.SnippetRegionsTests"/>) and run by <see cref="DocumentationSnippetsTests"/>.</summary>
public static class ReadmeSnippets
{
    public static JourneyDefinition QuickStart(IServiceCollection services)
    {
        // begin-snippet: readme-quick-start
        var journey = Journey.When<CheckoutAbandoned>(e => e.SecondsOnPaymentPage > 30)
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .Compute("minutesLeft", c => (int)(c.StartedAt + 20.Minutes() - c.Now).TotalMinutes)
            .AfterStart(5.Minutes()).Push(p => p.Icon("⏳").DeepLink("myshop://pay?order={{event.OrderId}}")
                .Body("Votre commande n'est pas payée. Il ne vous reste que {{values.minutesLeft}} minutes pour profiter de la remise !"))
            .Then().AfterStart(1.Hours()).Email(m => m
                .Subject("Offre à durée limitée bientôt expirée ! Finalisez votre commande maintenant")
                .HtmlBody("<p>Bonjour {{customer.name}},</p>{{#each event.Items}}<img src=\"{{ImageUrl}}\" alt=\"{{Name}}\">{{/each}}"))
            .Then().AfterStart(24.Hours()).Push(p => p.Body("Payez dans les 30 minutes pour bénéficier de 10 % de remise SUPPLÉMENTAIRE !"))
            .Build();

        services.AddRecoveryJourneys(j => j
            .AddJourney(journey)
            .AddChannel<PushMessage, MyPushChannel>()
            .AddChannel<EmailMessage, MyEmailChannel>());
        // end-snippet
        return journey;
    }
}
