using CheckoutRecovery.Shop;
using Recovery.Journeys;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;

namespace CheckoutRecovery.Journeys;

/// <summary>
/// Scenario S1 (seed 000), "Rappel de paiement de commande": a push at +5 min, an e-mail at +1 h and a stronger push
/// at +24 h after a customer left the payment page, stopped the moment the order is paid.
/// </summary>
/// <remarks>
/// <para>
/// It measures itself: an A/B test of the first push's text (<see cref="PushTextExperiment"/>: the urgent text of seed
/// 000 against a helpful one, 50/50) and a 10 % holdout who enter but receive nothing, so that the journey's own uplift
/// can be read in its report.
/// </para>
/// <para>
/// The journey ends with a host action that expires the last push's extra 10 % when its 30 minutes are over. After it
/// the instance listens for <c>OrderPaid</c> for the attribution window (24 hours in production), so a payment in that time
/// still ends the journey as a conversion, attributed to the last message when it came within 24 hours of it.
/// </para>
/// </remarks>
public static class CheckoutRecoveryJourney
{
    /// <summary>The journey's name, its key in the store and in reports.</summary>
    public const string Name = "checkout-recovery";

    /// <summary>The A/B test of the first push's text, at +5 min.</summary>
    public const string PushTextExperiment = "push-text";

    /// <summary>Variant A of the first push: seed 000's urgent text.</summary>
    public const string UrgentVariant = "urgent";

    /// <summary>Variant B of the first push: a helpful text, as seed 001 recommends.</summary>
    public const string HelpfulVariant = "helpful";

    /// <summary>The id of the first push in variant A, at +5 min.</summary>
    public const string FirstPushStep = "push-reminder";

    /// <summary>The id of the first push in variant B, at +5 min.</summary>
    public const string HelpfulPushStep = "push-reminder-helpful";

    /// <summary>The share of customers held out: they enter the journey but receive nothing.</summary>
    public const int HoldoutPercent = 10;

    /// <summary>The id of the e-mail, at +1 h.</summary>
    public const string EmailStep = "email-reminder";

    /// <summary>The id of the last push, at +24 h.</summary>
    public const string ExtraOfferPushStep = "push-extra-offer";

    /// <summary>The id of the host action that expires the extra offer, 30 minutes after the last push.</summary>
    public const string ExpireExtraOfferStep = "expire-extra-offer";

    /// <summary>The subject of the e-mail, as seed 000 words it.</summary>
    public const string EmailSubject = "Offre à durée limitée bientôt expirée ! Finalisez votre commande maintenant";

    /// <summary>Describes and builds the journey.</summary>
    /// <param name="offers">Where the last push reads how many orders were recovered so far (its social proof), and what expires its extra offer.</param>
    /// <param name="timings">When the reminders go out; <see cref="CheckoutRecoveryTimings.Production"/> by default.</param>
    /// <returns>The immutable definition, to register with <c>AddJourney</c> or give to an engine.</returns>
    public static JourneyDefinition Build(OfferDesk offers, CheckoutRecoveryTimings? timings = null)
    {
        ArgumentNullException.ThrowIfNull(offers);
        var at = timings ?? CheckoutRecoveryTimings.Production;

        return Journey.When<CheckoutAbandoned>(e => e.SecondsOnPaymentPage > 30)
            .Named(Name)
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))

            // 10 % of customers get nothing: the report compares their payments with the others'.
            .Holdout(HoldoutPercent)
            .AttributionWindow(at.AttributionWindow)

            // The shop is French: customers without a culture or a time zone of their own read fr-FR and Paris time.
            // The built-in helpers ({{money}}, {{number}}, {{timeLeft}}) write in the customer's culture; prices are
            // in euros whatever the customer's country, hence {{money Price "EUR"}} rather than the culture's currency.
            .DefaultCulture("fr-FR")
            .DefaultTimeZone("Europe/Paris")

            // Deadlines are instants; {{timeLeft}} says how much time is left when the message is rendered, from the
            // clock and in whole minutes rounded down, so "15 minutes" is true when the push goes out rather than
            // hard-coded. The journey starts when the shop publishes the abandonment, so StartedAt is its time.
            .Compute("discountEndsAt", c => c.StartedAt + at.DiscountHold)
            .Compute("extraOfferEndsAt", c => c.StartedAt + at.ExtraOfferExpiry)
            .Compute("recoveredOrders", _ => offers.RecoveredOrders)

            // {{trackedLink}} adds the journey, step and channel as utm_* parameters to these.
            .Compute("desktopPaymentUrl", c => $"https://www.shop.example/checkout/pay?order={Uri.EscapeDataString(c.Event.OrderId)}")
            .Compute("mobilePaymentUrl", c => $"https://m.shop.example/checkout/pay?order={Uri.EscapeDataString(c.Event.OrderId)}")

            // Half the customers get seed 000's urgent push, half a helpful one; each customer always gets the same.
            .AfterStart(at.FirstPush).Experiment(PushTextExperiment, test => test
                .Variant(UrgentVariant, 50, variant => variant.Push(FirstPushStep, push => push
                    .Title("Commande {{event.OrderId}} en attente de paiement")
                    .Body("Votre commande n'est pas payée. Il ne vous reste que {{timeLeft values.discountEndsAt}} pour profiter de la remise !")
                    .Icon("⏳")
                    .DeepLink("shopexample://checkout/pay?order={{event.OrderId}}")
                    .Data("orderId", "{{event.OrderId}}")))
                .Variant(HelpfulVariant, 50, variant => variant.Push(HelpfulPushStep, push => push
                    .Title("Un souci avec le paiement de la commande {{event.OrderId}} ?")
                    .Body("Votre panier vous attend et la remise est gardée encore {{timeLeft values.discountEndsAt}}. Touchez ici pour payer en un clic, ou pour nous écrire.")
                    .Icon("💬")
                    .DeepLink("shopexample://checkout/pay?order={{event.OrderId}}&help=1")
                    .Data("orderId", "{{event.OrderId}}"))))

            .Then().AfterStart(at.Email).Email(EmailStep, email => email
                .Subject(EmailSubject)
                .HtmlBody(EmailHtml)
                .TextBody(EmailText))

            .Then().AfterStart(at.ExtraOfferPush).Push(ExtraOfferPushStep, push => push
                .Title("Dernière chance pour votre commande {{event.OrderId}}")
                .Body("Payez dans les {{timeLeft values.extraOfferEndsAt}} pour bénéficier de 10 % de remise SUPPLÉMENTAIRE ! {{number values.recoveredOrders}} utilisateurs ont profité de cette offre.")
                .Icon("🚨")
                .DeepLink("shopexample://checkout/pay?order={{event.OrderId}}&coupon=EXTRA10")
                .Data("orderId", "{{event.OrderId}}")
                .Data("coupon", "EXTRA10")
                .Data("color", "#D32F2F"))

            // The holdout was never offered EXTRA10: nothing to expire.
            .Then().AfterStart(at.ExtraOfferExpiry).Do(ExpireExtraOfferStep, (c, cancellationToken) =>
                c.IsHoldout ? ValueTask.CompletedTask : offers.ExpireExtraOfferAsync(c.Event.OrderId, cancellationToken))

            .Build();
    }

    // Values are HTML-escaped in this body (a customer named "<b>" shows as text); the template's own markup is not.
    // The tracked links' '=' and '&' come out as &#x3D; and &amp;, which the mail client decodes in the href.
    private const string EmailHtml = """
        <h1>Offre à durée limitée bientôt expirée !</h1>
        <p>Bonjour {{customer.name}},</p>
        <p>Votre commande <strong>n° {{event.OrderId}}</strong> n'est pas encore payée. Vos articles vous attendent :</p>
        <table>
        {{#each event.Items}}
          <tr><td><img src="{{ImageUrl}}" alt="{{Name}}" width="96" height="96"></td><td>{{Name}}</td><td>{{money Price "EUR"}}</td></tr>
        {{/each}}
        </table>
        <p style="color:#d32f2f"><strong>⏳ L'offre se termine dans {{timeLeft event.PromotionEndsAt}}.</strong></p>
        <h2>Conditions de l'offre</h2>
        <ul>
          <li>{{event.DiscountPercent}} % de remise sur toute la commande n° {{event.OrderId}} : {{money event.Discount "EUR"}} de moins.</li>
          <li>Vous payez {{money event.Total "EUR"}} au lieu de {{money event.Subtotal "EUR"}}.</li>
          <li>Valable jusqu'à la fin de la vente flash, pour cette commande uniquement.</li>
        </ul>
        <h2>Payer en 3 étapes</h2>
        <ol>
          <li>Ouvrez votre commande avec l'un des deux boutons ci-dessous.</li>
          <li>Vérifiez votre adresse de livraison : la remise est déjà appliquée.</li>
          <li>Choisissez votre moyen de paiement (carte bancaire, PayPal ou Apple Pay) et validez.</li>
        </ol>
        <p>
          <a href="{{trackedLink values.desktopPaymentUrl}}">Payer sur ordinateur</a>
          <a href="{{trackedLink values.mobilePaymentUrl}}">Payer sur mobile</a>
        </p>
        <p>Une question ? Notre service client vous répond du lundi au samedi, de 9 h à 19 h :
          01 23 45 67 89 · <a href="mailto:aide@shop.example">aide@shop.example</a> · chat sur https://www.shop.example/aide</p>
        """;

    private const string EmailText = """
        Bonjour {{customer.name}},

        Votre commande n° {{event.OrderId}} n'est pas encore payée. Vos articles vous attendent :
        {{#each event.Items}}
          - {{Name}} : {{money Price "EUR"}} (photo : {{ImageUrl}})
        {{/each}}

        ⏳ L'offre se termine dans {{timeLeft event.PromotionEndsAt}}.

        Conditions de l'offre :
          - {{event.DiscountPercent}} % de remise sur toute la commande : {{money event.Discount "EUR"}} de moins.
          - Vous payez {{money event.Total "EUR"}} au lieu de {{money event.Subtotal "EUR"}}.
          - Valable jusqu'à la fin de la vente flash, pour cette commande uniquement.

        Payer en 3 étapes :
          1. Ouvrez votre commande avec l'un des deux liens ci-dessous.
          2. Vérifiez votre adresse de livraison : la remise est déjà appliquée.
          3. Choisissez votre moyen de paiement (carte bancaire, PayPal ou Apple Pay) et validez.

        Payer sur ordinateur : {{trackedLink values.desktopPaymentUrl}}
        Payer sur mobile : {{trackedLink values.mobilePaymentUrl}}

        Service client, du lundi au samedi de 9 h à 19 h : 01 23 45 67 89 · aide@shop.example · chat sur https://www.shop.example/aide
        """;
}
