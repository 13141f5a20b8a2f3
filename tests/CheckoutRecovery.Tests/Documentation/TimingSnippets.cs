using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Time;
using Recovery.Journeys.Timing;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>The C# of docs/timing-and-control.md, region by region (<see cref="Snippets.SnippetRegionsTests"/>); <see cref="TimingSnippetsTests"/> runs it.</summary>
public static class TimingSnippets
{
    // begin-snippet: timing-quiet-hours
    public static JourneyDefinition QuietHours() =>
        Journey.When<CheckoutAbandoned>()
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .DefaultTimeZone("Europe/Paris")
            .QuietHours(new LocalTime(21, 0), new LocalTime(8, 0))
            .QuietHours(new LocalTime(20, 0), new LocalTime(9, 0), "sms")
            .After(1.Hours()).Sms(s => s.Text("Votre panier vous attend"))
            .Then().AtLocalTime(new LocalTime(10, 0), notBefore: 1.Days()).Email(m => m.Subject("Toujours intéressé ?").TextBody("..."))
            .Build();
    // end-snippet

    // begin-snippet: timing-caps
    public static void Caps(IServiceCollection services) =>
        services.AddRecoveryJourneys(journeys => journeys
            .ConfigureEngine(engine =>
            {
                engine.FrequencyCaps.Add(new FrequencyCap(3, Duration.FromDays(1)));
                engine.FrequencyCaps.Add(new FrequencyCap(1, Duration.FromDays(7)) { Channel = "sms", Policy = CapPolicy.Skip });
            }));
    // end-snippet

    // begin-snippet: timing-while-active
    public static JourneyDefinition WhileActive() =>
        Journey.When<CartAbandoned>()
            .Named("browsing")
            .CorrelateBy(e => e.CartId)
            .ForCustomer(e => e.Customer)
            .WaitWhileActive(15.Minutes())
            .After(30.Minutes()).Push(p => p.Body("Votre panier vous attend"))
            .Build();
    // end-snippet

    // begin-snippet: timing-track-activity
    public static CustomerActivityTracker TrackActivity(IServiceCollection services)
    {
        var activity = new CustomerActivityTracker();
        services.AddRecoveryJourneys(journeys => journeys.UseCustomerActivity(activity));
        return activity;
    }
    // end-snippet

    // begin-snippet: timing-stage-based
    public static JourneyDefinition StageBased() =>
        Journey.When<CartAbandoned>()
            .Named("stage-based")
            .CorrelateBy(e => e.CartId)
            .ForCustomer(e => e.Customer)
            .If(c => c.Event.Stage == CheckoutStage.Payment)
                .Then(path => path.After(5.Minutes()).Email(m => m.Subject("Vous avez rencontré un problème lors de votre commande ?").TextBody("...")))
                .Else(path => path.After(2.Days()).Email(m => m.Subject("Votre panier vous attend").TextBody("...")))
            .Then().After(1.Days()).Push(p => p.Body("Dernier rappel"))
            .Build();
    // end-snippet

    // begin-snippet: timing-payment-retry
    public static JourneyDefinition PaymentRetry() =>
        Journey.When<CartAbandoned>()
            .Named("payment-retry")
            .CorrelateBy(e => e.CartId)
            .ForCustomer(e => e.Customer)
            .Push(p => p.Body("Un souci de paiement ?"))
            .WaitFor<PaymentRetried>(e => e.CartId, 2.Hours())
                .OnEvent(path => path.After(30.Minutes()).Push(p => p.Body("Vous y êtes presque !")))
                .OnTimeout(path => path.Email(m => m.Subject("Besoin d'aide pour payer ?").TextBody("...")))
            .Build();
    // end-snippet

    // begin-snippet: timing-latest-cart
    public static JourneyDefinition OneReminderAboutTheLatestCart() =>
        Journey.When<CartAbandoned>()
            .Named("latest-cart")
            .CorrelateBy(e => e.CartId)
            .ForCustomer(e => e.Customer)
            .LatestPerCustomer()
            .RestartWaitOn<CartUpdated>(e => e.CartId)
            .Priority(5)
            .After(1.Hours()).Push(p => p.Body("Votre panier vous attend"))
            .Build();
    // end-snippet

    // begin-snippet: timing-publish
    public static async Task PublishAsync(JourneyEngine engine, CartAbandoned cart)
    {
        var result = await engine.PublishAsync(cart);
        foreach (var suppressed in result.Suppressed)
        {
            Console.WriteLine($"{suppressed.JourneyName} did not start for {suppressed.CorrelationKey}: {suppressed.Reason}");
        }
    }
    // end-snippet
}
