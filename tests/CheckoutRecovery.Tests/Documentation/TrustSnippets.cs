// begin-snippet: trust-usings
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Time;
// end-snippet

namespace CheckoutRecovery.Tests.Documentation;

// begin-snippet: trust-events
public sealed record CheckoutAbandonedAt(string OrderId, Customer Customer, DateTimeOffset AbandonedAt);

public sealed record OrderPaidAt(string OrderId, decimal Amount, DateTimeOffset PaidAt);
// end-snippet

/// <summary>
/// The C# of the "events out of order, late steps and pauses" part of docs/timing-and-control.md and of the exit
/// actions of docs/getting-started.md, region by region; <see cref="TrustSnippetsTests"/> runs it.
/// </summary>
public static class TrustSnippets
{
    // begin-snippet: trust-exits-remembered
    public static JourneyDefinition PaidFirst() =>
        Journey.When<CheckoutAbandonedAt>()
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .OccurredAt(e => e.AbandonedAt, maxAge: TimeSpan.FromHours(6))
            .ExitWhen<OrderPaidAt>(e => e.OrderId, exit => exit.WithValue(e => e.Amount).OccurredAt(e => e.PaidAt))
            .RememberExitsFor(30.Days())
            .AfterStart(5.Minutes()).Push(p => p.Body("Votre commande n'est pas payée"))
            .Build();
    // end-snippet

    // begin-snippet: trust-send-only-while
    public static JourneyDefinition AskTheOrderSystem(IOrderBook orders) =>
        Journey.When<CheckoutAbandoned>()
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId)
            .SendOnlyWhile((c, ct) => orders.IsUnpaidAsync(c.Event.OrderId, ct))
            .AfterStart(5.Minutes()).Push(p => p.Body("Votre commande n'est pas payée"))
            .Then().AfterStart(1.Hours()).Email(m => m.Subject("Votre commande vous attend").TextBody("..."))
            .Build();
    // end-snippet

    // begin-snippet: trust-skip-if-later
    public static JourneyDefinition NotLate() =>
        Journey.When<CheckoutAbandoned>()
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .SkipIfLaterThan(6.Hours())
            .AfterStart(5.Minutes()).Push(p => p.Body("Il ne vous reste que 15 minutes !")).SkipIfLaterThan(15.Minutes())
            .Then().AfterStart(1.Hours()).Email(m => m.Subject("Votre panier vous attend").TextBody("..."))
            .Build();
    // end-snippet

    // begin-snippet: trust-pause
    public static async Task PauseForTheSaleAsync(JourneyEngine engine)
    {
        // New abandonments still enter; their steps wait with the others until the journey resumes.
        await engine.PauseAsync("checkout-recovery", admitNewInstances: true);

        // ... the sale's prices are being fixed ...

        await engine.ResumeAsync("checkout-recovery");
    }
    // end-snippet

    // begin-snippet: getting-started-on-exit
    public static JourneyDefinition UnpaidOrderCoupon() =>
        Journey.When<OrderUnpaid>()
            .Named("unpaid-order-coupon")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId)
            .AfterStart(30.Minutes()).AddToCrmList("coupon-eligible")
            .IssueCoupon(c => c.Named("RELANCE-20").PercentOff(20).ValidFor(24.Hours()))
            .Email(m => m.Subject("-20 % sur votre commande").TextBody("Votre code : {{coupon.code}}"))
            .AttributionWindow(2.Days())
            .OnExit(x => x.RemoveFromCrmList("coupon-eligible").RevokeCoupon())
            .Build();
    // end-snippet
}

/// <summary>The shop's order system, as <see cref="TrustSnippets.AskTheOrderSystem"/> asks it.</summary>
public interface IOrderBook
{
    /// <summary>Whether the order is still unpaid.</summary>
    ValueTask<bool> IsUnpaidAsync(string orderId, CancellationToken cancellationToken);
}
