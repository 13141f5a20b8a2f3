using System.Globalization;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Smtp.Tests.Fixtures;

public sealed record CartItem(string Name, int Quantity, decimal Price, string ImageUrl);

public sealed record CheckoutAbandoned(
    string OrderId,
    Customer Customer,
    decimal Total,
    int DiscountPercent,
    int SecondsOnPaymentPage,
    IReadOnlyList<CartItem> Items);

public sealed record OrderPaid(string OrderId, decimal Amount);

/// <summary>
/// Scenario S1 of the requirements (seed 000, "Rappel de paiement de commande"): a push at +5 min, the detailed
/// e-mail at +1 h, a stronger push at +24 h, stopping as soon as the order is paid.
/// </summary>
public static class Seed000
{
    public const string Subject = "Offre à durée limitée bientôt expirée ! Finalisez votre commande maintenant";

    /// <summary>How long the 60 % offer lasts after the checkout is abandoned; the e-mail counts down to it.</summary>
    public static readonly NodaTime.Duration OfferLasts = 3.Hours();

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static Customer Helene { get; } = new("cust-4821")
    {
        Name = "Hélène",
        Email = "helene.dupre@client.example",
        PushToken = "push-token-4821",
        Culture = "fr-FR",
        TimeZone = "Europe/Paris",
    };

    public static CheckoutAbandoned Abandoned() => new(
        "CMD-2026-00042",
        Helene,
        Total: 149.70m,
        DiscountPercent: 60,
        SecondsOnPaymentPage: 75,
        Items:
        [
            new CartItem("Baskets en cuir « Montmartre »", 1, 89.90m, "https://cdn.shop.example/products/baskets-montmartre.jpg"),
            new CartItem("Sac cabas en toile", 2, 29.90m, "https://cdn.shop.example/products/cabas-toile.jpg"),
        ]);

    public static JourneyDefinition Journey() =>
        Dsl.Journey.When<CheckoutAbandoned>(e => e.SecondsOnPaymentPage > 30)
            .Named("unpaid-checkout-reminder")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .Compute("discountAmount", c => Euros(c.Event.Total * c.Event.DiscountPercent / 100m))
            .Compute("totalAfterDiscount", c => Euros(c.Event.Total - (c.Event.Total * c.Event.DiscountPercent / 100m)))
            .Compute("total", c => Euros(c.Event.Total))
            .Compute("minutesLeft", c => (int)(c.StartedAt + OfferLasts - c.Now).TotalMinutes)
            .Compute("offerEndsAt", c => (c.StartedAt + OfferLasts).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .AfterStart(5.Minutes()).Push("push-reminder", p => p
                .Title("⏳ Commande {{event.OrderId}}")
                .Body("Votre commande n'est pas payée. Il ne vous reste que 15 minutes pour profiter de la remise !")
                .Icon("⏳")
                .DeepLink("myshop://checkout/pay?order={{event.OrderId}}"))
            .Then().AfterStart(1.Hours()).Email("email-reminder", m => m
                .Subject(Subject)
                .HtmlBody(Html)
                .TextBody(Text))
            .Then().AfterStart(24.Hours()).Push("push-extra-offer", p => p
                .Title("Dernière chance")
                .Body("Payez dans les 30 minutes pour bénéficier de 10 % de remise SUPPLÉMENTAIRE ! 1 234 utilisateurs ont profité de cette offre.")
                .DeepLink("myshop://checkout/pay?order={{event.OrderId}}&extra=10"))
            .Build();

    public static string DesktopPayLink(string orderId) => $"https://www.shop.example/checkout/pay?order={orderId}&utm_source=email&utm_campaign=unpaid-checkout";

    public static string MobilePayLink(string orderId) => $"https://m.shop.example/pay/{orderId}?utm_source=email&utm_campaign=unpaid-checkout";

    private static string Euros(decimal amount) => amount.ToString("0.00", French) + " €";

    private const string Html =
        """
        <!DOCTYPE html>
        <html lang="fr">
        <body style="font-family: Arial, sans-serif">
          <p>Bonjour {{customer.name}},</p>
          <p>Votre commande n° <strong>{{event.OrderId}}</strong> ({{values.total}}) vous attend, mais elle n'est pas encore payée.</p>
          <h2>Votre offre : -{{event.DiscountPercent}} % sur toute la commande</h2>
          <p>Vous économisez <strong>{{values.discountAmount}}</strong> : vous ne payez que <strong>{{values.totalAfterDiscount}}</strong>.
             Offre valable une seule fois, non cumulable avec d'autres codes, réservée à cette commande.</p>
          <table role="presentation">
            {{#each event.Items}}
            <tr>
              <td><img src="{{ImageUrl}}" alt="{{Name}}" width="120" height="120"></td>
              <td>{{Name}} × {{Quantity}}</td>
            </tr>
            {{/each}}
          </table>
          <h3>Plus que {{values.minutesLeft}} minutes</h3>
          <img src="https://countdown.shop.example/timer.gif?until={{values.offerEndsAt}}" alt="Compte à rebours" width="300" height="60">
          <h3>Payer en 3 étapes</h3>
          <ol>
            <li>Cliquez sur « Payer maintenant » (ordinateur ou mobile).</li>
            <li>Vérifiez votre adresse de livraison.</li>
            <li>Choisissez votre moyen de paiement : la remise est déjà appliquée.</li>
          </ol>
          <p>
            <a href="https://www.shop.example/checkout/pay?order={{event.OrderId}}&amp;utm_source=email&amp;utm_campaign=unpaid-checkout">Payer maintenant sur ordinateur</a>
            &nbsp;|&nbsp;
            <a href="https://m.shop.example/pay/{{event.OrderId}}?utm_source=email&amp;utm_campaign=unpaid-checkout">Payer maintenant sur mobile</a>
          </p>
          <p>Une question ? Notre service client vous répond du lundi au vendredi, de 9 h à 18 h :
             01 23 45 67 89 · <a href="mailto:service-client@shop.example">service-client@shop.example</a></p>
        </body>
        </html>
        """;

    private const string Text =
        """
        Bonjour {{customer.name}},

        Votre commande n° {{event.OrderId}} ({{values.total}}) n'est pas encore payée.
        Votre offre : -{{event.DiscountPercent}} % : vous économisez {{values.discountAmount}} et ne payez que {{values.totalAfterDiscount}}.
        Plus que {{values.minutesLeft}} minutes pour en profiter.

        Payer en 3 étapes :
        1. Ouvrez le lien de paiement ci-dessous.
        2. Vérifiez votre adresse de livraison.
        3. Choisissez votre moyen de paiement : la remise est déjà appliquée.

        Sur ordinateur : https://www.shop.example/checkout/pay?order={{event.OrderId}}&utm_source=email&utm_campaign=unpaid-checkout
        Sur mobile : https://m.shop.example/pay/{{event.OrderId}}?utm_source=email&utm_campaign=unpaid-checkout

        Service client : 01 23 45 67 89 (du lundi au vendredi, de 9 h à 18 h) · service-client@shop.example
        """;
}
