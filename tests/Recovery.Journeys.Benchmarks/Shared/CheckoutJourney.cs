using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Benchmarks.Shared;

/// <summary>The trigger event of scenario S1: a customer left the payment page.</summary>
public sealed record Checkout(string OrderId, Customer Customer, decimal Total, int SecondsOnPaymentPage)
{
    /// <summary>The basket, shown in the S1 e-mail.</summary>
    public IReadOnlyList<CheckoutItem> Items { get; init; } = [];
}

/// <summary>A line of the basket.</summary>
public sealed record CheckoutItem(string Name, string ImageUrl);

/// <summary>The goal event of scenario S1: the order was paid.</summary>
public sealed record Paid(string OrderId, decimal Amount);

/// <summary>The three-step S1 journey every run uses: a push at +5 min, an e-mail at +1 h, a push at +24 h, stopped by the payment.</summary>
public static class CheckoutJourney
{
    /// <summary>The S1 first push's deep link and body, as in the README.</summary>
    public const string PushDeepLink = "myshop://pay?order={{event.OrderId}}";

    /// <summary>The S1 first push's body.</summary>
    public const string PushBody = "Votre commande n'est pas payée. Il ne vous reste que {{values.minutesLeft}} minutes pour profiter de la remise !";

    /// <summary>The S1 e-mail's subject.</summary>
    public const string EmailSubject = "Offre à durée limitée bientôt expirée ! Finalisez votre commande maintenant";

    /// <summary>The S1 e-mail's HTML body.</summary>
    public const string EmailHtmlBody = "<p>Bonjour {{customer.name}},</p>{{#each event.Items}}<img src=\"{{ImageUrl}}\" alt=\"{{Name}}\">{{/each}}";

    /// <summary>The S1 last push's body.</summary>
    public const string ExtraOfferBody = "Payez dans les 30 minutes pour bénéficier de 10 % de remise SUPPLÉMENTAIRE !";

    public static JourneyDefinition Create() =>
        Journey.When<Checkout>(e => e.SecondsOnPaymentPage > 30)
            .Named("checkout-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<Paid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .Compute("minutesLeft", c => (int)(c.StartedAt + 20.Minutes() - c.Now).TotalMinutes)
            .AfterStart(5.Minutes()).Push("push-reminder", p => p.Icon("⏳").DeepLink(PushDeepLink).Body(PushBody))
            .Then().AfterStart(1.Hours()).Email("email-reminder", m => m.Subject(EmailSubject).HtmlBody(EmailHtmlBody))
            .Then().AfterStart(24.Hours()).Push("push-extra-offer", p => p.Body(ExtraOfferBody))
            .Build();

    /// <summary>1,000 customers, reused by the checkouts in turn.</summary>
    public static Customer[] Customers(int count = 1000) =>
        [.. Enumerable.Range(0, count).Select(i => new Customer($"customer-{i}") { Name = $"Client {i}", Email = $"c{i}@example.com", PushToken = $"t{i}" })];

    /// <summary>The i-th checkout: 49.90 with two items, 45 s on the payment page.</summary>
    public static Checkout NewCheckout(int i, Customer[] customers) =>
        new($"order-{i}", customers[i % customers.Length], 49.90m, 45) { Items = Items };

    private static readonly CheckoutItem[] Items =
    [
        new("Sneakers", "https://cdn.example.com/p/sneakers.jpg"),
        new("Socks", "https://cdn.example.com/p/socks.jpg"),
    ];
}
