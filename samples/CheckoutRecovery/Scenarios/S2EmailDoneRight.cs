using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;

namespace CheckoutRecovery.Scenarios;

/// <summary>How far a customer got in the checkout before leaving.</summary>
public enum CheckoutStage
{
    /// <summary>The cart page: not decided yet.</summary>
    Cart = 0,

    /// <summary>The delivery page.</summary>
    Delivery = 1,

    /// <summary>The payment page: ready to buy, maybe stopped by a payment problem.</summary>
    Payment = 2,
}

/// <summary>The shop platform's call in S2 (its API triggers the journey): a cart was left at a stage of the checkout.</summary>
/// <param name="CartId">The cart, the journey's correlation key.</param>
/// <param name="Customer">Who left it.</param>
/// <param name="Stage">How far they got.</param>
/// <param name="Items">The cart's products.</param>
public sealed record CartLeft(string CartId, Customer Customer, CheckoutStage Stage, IReadOnlyList<Product> Items)
{
    /// <summary>The cart's total.</summary>
    public decimal Total => Items.Sum(p => p.Price);
}

/// <summary>The shop's event in S2: a cart became an order, paid.</summary>
/// <param name="CartId">The cart.</param>
/// <param name="Amount">What was paid.</param>
public sealed record CartOrdered(string CartId, decimal Amount);

/// <summary>One cart an S2 customer leaves.</summary>
/// <param name="Event">The event the shop publishes.</param>
/// <param name="At">When.</param>
public sealed record S2Cart(CartLeft Event, Instant At);

/// <summary>One S2 customer: the carts they leave (a newer one replaces the older), and whether and when they order the last.</summary>
/// <param name="Carts">Their carts, oldest first, hours apart.</param>
/// <param name="PaysAfter">How long after the last cart they order it, or <see langword="null"/> if they never do.</param>
public sealed record S2Customer(IReadOnlyList<S2Cart> Carts, Duration? PaysAfter)
{
    /// <summary>The cart the reminders are about.</summary>
    public S2Cart Last => Carts[^1];

    /// <summary>When they order, if they do.</summary>
    public Instant? PaysAt => Last.At + PaysAfter;
}

/// <summary>
/// Scenario S2 (seed 001, ACTITO, "Comment relancer vos paniers abandonnés ?"): an e-mail whose timing depends on how
/// far the customer got, in a helpful tone, with the cart's products and pictures, real scarcity and a cross-sell
/// block, always about the latest cart; a discount only in the last reminder, and never to a customer who keeps
/// abandoning to get one.
/// </summary>
public sealed class S2EmailDoneRight : IScenario
{
    /// <summary>The journey's name.</summary>
    public const string JourneyName = "email-recovery";

    /// <summary>The coupon's discount in the last reminder, in percent.</summary>
    public const int PercentOff = 10;

    /// <summary>A customer who left at the payment page hears from the shop this soon.</summary>
    public static readonly Duration PaymentDelay = Duration.FromMinutes(15);

    /// <summary>A customer who left earlier is left to decide for this long.</summary>
    public static readonly Duration EarlyStageDelay = Duration.FromDays(2);

    /// <summary>The last reminder, with the coupon, comes this long after the first.</summary>
    public static readonly Duration LastReminderDelay = Duration.FromDays(1);

    /// <summary>A payment within this long of a reminder is attributed to it; the journey ends this long after the last.</summary>
    public static readonly Duration AttributionWindow = Duration.FromDays(2);

    /// <summary>More carts than this within 30 days and no coupon: the incentive-abuse guard.</summary>
    public const int MaxCartsForCoupon = 2;

    /// <summary>A French tea and coffee shop paid in euros.</summary>
    public static ShopProfile Shop { get; } = new("Thés & Cafés (exemple)", "fr-FR", "EUR", "Europe/Paris");

    /// <inheritdoc />
    public string Id => "s2";

    /// <inheritdoc />
    public string Title => "e-mail recovery done right: timing by stage, scarcity, cross-sell, latest cart, abuse guard (seed 001)";

    /// <inheritdoc />
    public IReadOnlyList<string> Rules { get; } =
    [
        "a cart left at any stage enters; an order of that cart ends the journey as a conversion",
        "a newer cart of the same customer ends the older cart's journey: one reminder, about the latest cart",
        "left at the payment page: a helpful e-mail at +00:15:00 ('Vous avez rencontré un problème lors de votre commande ?')",
        "left earlier (cart, delivery): a reminder at +48:00:00, time to decide",
        "one day after that, a last reminder with a 10 % coupon, withheld from a customer who left more than 2 carts within 30 days",
        "every e-mail shows the cart's products with pictures, real scarcity (3 or fewer left) and products that go with them; no e-mail address, no e-mail",
    ];

    /// <summary>The journey.</summary>
    public static JourneyDefinition Journey() =>
        Recovery.Journeys.Dsl.Journey.When<CartLeft>()
            .Named(JourneyName)
            .CorrelateBy(e => e.CartId)
            .ForCustomer(e => e.Customer)
            .DefaultCulture(Shop.Culture)
            .DefaultTimeZone(Shop.TimeZone)
            .LatestPerCustomer()
            .ExitWhen<CartOrdered>(e => e.CartId, exit => exit.WithValue(e => e.Amount))
            .AttributionWindow(AttributionWindow)
            .Fetch<LowStock>("stock")
            .Fetch("crossSell")
            .If(c => c.Event.Stage == CheckoutStage.Payment)
                .Then(path => path.After(PaymentDelay).Email("payment-help", m => m
                    .Subject("Vous avez rencontré un problème lors de votre commande ?")
                    .TextBody("Bonjour {{customer.name}},\n\nLe paiement de votre panier n'a pas abouti. Notre service client peut vous aider : répondez simplement à cet e-mail.\n" + CartBlock)))
                .Else(path => path.After(EarlyStageDelay).Email("cart-reminder", m => m
                    .Subject("Votre panier vous attend")
                    .TextBody("Bonjour {{customer.name}},\n\nVous avez laissé quelques articles dans votre panier.\n" + CartBlock)))
            .Then().After(LastReminderDelay).IssueCoupon(
                coupon => coupon.Named("MERCI-10").PercentOff(PercentOff).ValidFor(Duration.FromDays(2)).ForPrice(e => e.Total)
                    .NotIfAbandonedMoreThan(MaxCartsForCoupon, within: Duration.FromDays(30)),
                "last-coupon")
            .Email("last-reminder", m => m
                .Subject("{{#if coupon}}{{coupon.discount}} de remise sur votre panier{{else}}Votre panier est toujours là{{/if}}")
                .TextBody("""
                    Bonjour {{customer.name}},

                    {{#if coupon}}Avec le code {{coupon.code}}, votre panier est à {{money coupon.priceAfter "EUR"}} au lieu de {{money coupon.priceBefore "EUR"}}, pendant {{timeLeft coupon.expiresAt}}.{{else}}Votre panier de {{money event.Total "EUR"}} est toujours là.{{/if}}

                    """ + CartBlock))
            .Build();

    /// <summary>The simulated customers, the same for the same options.</summary>
    /// <param name="options">Size, seed and period.</param>
    public static IReadOnlyList<S2Customer> Population(ScenarioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(options.Seed);
        var customers = new List<S2Customer>(options.Customers);
        for (var i = 0; i < options.Customers; i++)
        {
            var customer = ScenarioPeople.Customer(i, random, new Reach(Email: random.NextDouble() < 0.85), Shop.Culture, Shop.TimeZone);
            var count = random.NextDouble() switch { < 0.75 => 1, < 0.90 => 2, _ => 3 };
            var at = options.AnyTime(random);
            var carts = new List<S2Cart>();
            for (var n = 0; n < count; n++)
            {
                var stage = random.NextDouble() switch { < 0.45 => CheckoutStage.Cart, < 0.65 => CheckoutStage.Delivery, _ => CheckoutStage.Payment };
                var items = ShopContent.Catalog.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
                carts.Add(new S2Cart(new CartLeft($"T-{i + 1:00000}-{n + 1}", customer, stage, items), at));

                // The next cart comes 3 to 20 hours later: before the older one's last reminder.
                at += Duration.FromMinutes(random.Next(3 * 60, 20 * 60));
            }

            // Seconds are odd: a payment never falls on a step's instant.
            Duration? paysAfter = random.NextDouble() < 0.35 ? null : Duration.FromSeconds(random.Next(60, 4 * 86_400) | 1);
            customers.Add(new S2Customer(carts, paysAfter));
        }

        return customers;
    }

    /// <summary>When the last cart's coupon step and last reminder come, after its start.</summary>
    /// <param name="stage">The stage the cart was left at.</param>
    public static Duration LastReminderAfter(CheckoutStage stage) =>
        (stage == CheckoutStage.Payment ? PaymentDelay : EarlyStageDelay) + LastReminderDelay;

    /// <summary>What a customer pays: the cart's total, less the coupon when it was issued before they pay.</summary>
    /// <param name="customer">The customer.</param>
    public static decimal AmountPaid(S2Customer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var withCoupon = customer.PaysAfter > LastReminderAfter(customer.Last.Event.Stage) && customer.Carts.Count <= MaxCartsForCoupon;
        var total = customer.Last.Event.Total;
        return withCoupon ? total - Math.Round(total * PercentOff / 100m, 2, MidpointRounding.AwayFromZero) : total;
    }

    /// <inheritdoc />
    public Task<ScenarioResult> RunAsync(ScenarioOptions options, CancellationToken cancellationToken = default)
    {
        var population = Population(options);
        var events = population.SelectMany(c => c.Carts.Select(cart => new ShopEvent(cart.At, cart.Event)))
            .Concat(population.Where(c => c.PaysAt is not null).Select(c => new ShopEvent(c.PaysAt!.Value, new CartOrdered(c.Last.Event.CartId, AmountPaid(c)))));
        var featured = new Featured?[]
        {
            Feature("Left at the payment page, helped at once, then ordered", population.FirstOrDefault(c => c.Carts.Count == 1 && c.Last.Event.Stage == CheckoutStage.Payment && c.Last.Event.Customer.Email is not null && c.PaysAfter > PaymentDelay && c.PaysAfter < LastReminderAfter(CheckoutStage.Payment))),
            Feature("Left at the cart page, reminded two days later, ordered with the coupon", population.FirstOrDefault(c => c.Carts.Count == 1 && c.Last.Event.Stage == CheckoutStage.Cart && c.Last.Event.Customer.Email is not null && c.PaysAfter > LastReminderAfter(CheckoutStage.Cart) && ShopContent.LowestStock(c.Last.Event.Items) is not null)),
            Feature("Three carts in a row: one reminder about the latest, and no coupon", population.FirstOrDefault(c => c.Carts.Count == 3 && c.Last.Event.Customer.Email is not null && c.PaysAt is null)),
        };
        return ScenarioRun.RunAsync(
            Shop,
            Journey(),
            events,
            featured,
            options.Start,
            configure: journeys => journeys
                .AddContentProvider("stock", new ShopContent.StockProvider(e => ((CartLeft)e).Items))
                .AddContentProvider("crossSell", new ShopContent.CrossSellProvider(e => ((CartLeft)e).Items)),
            cancellationToken: cancellationToken);
    }

    private static Featured? Feature(string title, S2Customer? customer) =>
        customer is null ? null : new(title, [.. customer.Carts.Select(c => c.Event.CartId)]);

    // The products with their pictures, real scarcity, and what goes with them.
    private const string CartBlock = """

        Votre panier :
        {{#each event.Items}}
          - {{Name}} : {{money Price "EUR"}} (photo : {{ImageUrl}})
        {{/each}}
        {{#if content.stock}}
        Attention : plus que {{content.stock.Left}} « {{content.stock.Product}} » en stock.
        {{/if}}
        {{#if content.crossSell}}
        Ils vont bien avec :
        {{#each content.crossSell}}
          - {{Name}} : {{money Price "EUR"}}
        {{/each}}
        {{/if}}
        """;
}
