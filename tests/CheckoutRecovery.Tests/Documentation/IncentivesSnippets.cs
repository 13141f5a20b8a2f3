using Microsoft.Extensions.DependencyInjection;
using Recovery.Journeys;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>The C# of docs/incentives.md, region by region (<see cref="Snippets.SnippetRegionsTests"/>); <see cref="IncentivesSnippetsTests"/> runs it.</summary>
public static class IncentivesSnippets
{
    // begin-snippet: incentives-unpaid-order-coupon
    public static JourneyDefinition UnpaidOrderCoupon() =>
        Journey.When<OrderUnpaid>()
            .Named("unpaid-order-coupon")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .DefaultCulture("fr-FR")
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .After(30.Minutes()).IssueCoupon(coupon => coupon
                .Named("RELANCE-20")
                .PercentOff(20)
                .ValidFor(24.Hours())
                .ForPrice(e => e.Price)
                .NotIfIssuedWithin(30.Days())
                .NotIfAbandonedMoreThan(2, within: 30.Days()), "issue-coupon")
            .AddToCrmList("coupon-eligible", "add-to-list")
            .Email("coupon-email", m => m
                .Subject("{{#if coupon}}Votre code {{coupon.code}} : {{coupon.discount}} de remise{{else}}Votre commande vous attend{{/if}}")
                .TextBody("""
                    {{#if coupon}}
                    Code {{coupon.code}} ({{coupon.name}}) : {{coupon.discount}} de remise, valable {{timeLeft coupon.expiresAt}}.
                    {{event.Offer}} : {{money coupon.priceAfter "EUR"}} au lieu de {{money coupon.priceBefore "EUR"}}.
                    {{else}}
                    Votre commande {{event.Offer}} vous attend.
                    {{/if}}
                    """))
            .Then().After(24.Hours()).RemoveFromCrmList("coupon-eligible", "remove-from-list")
            .RevokeCoupon("revoke-coupon")
            .Build();
    // end-snippet

    // begin-snippet: incentives-extra-offer
    public static JourneyDefinition ExtraOffer() =>
        Journey.When<CheckoutAbandoned>()
            .Named("checkout-extra-offer")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .IssueCoupon(c => c.Named("FLASH").PercentOff(20).ValidFor(2.Days()))
            .Then().After(24.Hours()).RaiseCoupon(CouponDiscount.Percent(10), CouponStacking.Add)
            .Push(p => p.Body("Payez dans les 30 minutes pour bénéficier de {{coupon.discount}} de remise avec {{coupon.code}} !"))
            .Build();
    // end-snippet

    public static void Register(IServiceCollection services) =>
        // begin-snippet: incentives-register
        services.AddRecoveryJourneys(journeys => journeys
            .AddJourney(UnpaidOrderCoupon())
            .UseCouponService<ShopCouponService>());
        // end-snippet
}

/// <summary>The host's coupon system, as docs/incentives.md shows it: codes its checkout accepts.</summary>
// begin-snippet: incentives-shop-coupon-service
public sealed class ShopCouponService(ICouponStore coupons) : ICouponService
{
    public async ValueTask<string> IssueAsync(CouponRequest request, CancellationToken cancellationToken) =>
        // The same key on a retry returns the coupon created the first time.
        await coupons.CreateOnceAsync(request.IdempotencyKey, request.Customer.Id, request.Discount, request.ExpiresAt, cancellationToken);

    public ValueTask ChangeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken) =>
        coupons.SetDiscountAsync(coupon.Code, coupon.Discount, cancellationToken);

    public ValueTask RevokeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken) =>
        coupons.DisableAsync(coupon.Code, cancellationToken);
}
// end-snippet

/// <summary>Stands for the shop's own coupon table.</summary>
public interface ICouponStore
{
    ValueTask<string> CreateOnceAsync(string key, string customerId, CouponDiscount discount, NodaTime.Instant expiresAt, CancellationToken cancellationToken);

    ValueTask SetDiscountAsync(string code, CouponDiscount discount, CancellationToken cancellationToken);

    ValueTask DisableAsync(string code, CancellationToken cancellationToken);
}
