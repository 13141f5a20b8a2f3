using CheckoutRecovery.Shop;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;

namespace CheckoutRecovery.Scenarios;

/// <summary>The shop's event in S3: a visitor left the site with a basket.</summary>
/// <param name="OrderId">The basket's order number, the journey's correlation key.</param>
/// <param name="Customer">Who left.</param>
/// <param name="Interest">What they browse most (from past visits): the e-mails speak of it.</param>
/// <param name="Total">The basket's total.</param>
public sealed record BasketAbandoned(string OrderId, Customer Customer, string Interest, decimal Total);

/// <summary>One S3 customer: their basket and, if they pay, when and how much.</summary>
/// <param name="Basket">The event the shop publishes.</param>
/// <param name="At">When.</param>
/// <param name="PaysAfter">How long after leaving they pay, or <see langword="null"/> if they never do.</param>
public sealed record S3Customer(BasketAbandoned Basket, Instant At, Duration? PaysAfter)
{
    /// <summary>When they pay, if they do.</summary>
    public Instant? PaysAt => At + PaysAfter;
}

/// <summary>
/// Scenario S3 (seed 002, "stratégies et bonnes pratiques"): an exit-intent message on the site, the visitor added to
/// a retargeting audience at once and removed at purchase or at the end, an e-mail personalised by their interests
/// with an A/B test of an offer (free delivery) against no offer, and a last call at a strategic time of day; a 10 %
/// holdout measures what the whole journey brings.
/// </summary>
public sealed class S3Strategies : IScenario
{
    /// <summary>The journey's name.</summary>
    public const string JourneyName = "strategies";

    /// <summary>The A/B test of the e-mail's offer.</summary>
    public const string OfferExperiment = "offer";

    /// <summary>The retargeting audience of the ad platforms.</summary>
    public const string Audience = "retargeting-basket-abandoners";

    /// <summary>The share of customers held out.</summary>
    public const int HoldoutPercent = 10;

    /// <summary>When the e-mail comes.</summary>
    public static readonly Duration EmailDelay = Duration.FromHours(1);

    /// <summary>The last call comes at the next 19:00, shop time, at least this long after the e-mail.</summary>
    public static readonly Duration LastCallAtLeast = Duration.FromHours(20);

    /// <summary>The strategic time of day of the last call: the evening, when people shop.</summary>
    public static readonly LocalTime LastCallTime = new(19, 0);

    /// <summary>A payment within this long of a message is attributed to it; the journey ends this long after the last.</summary>
    public static readonly Duration AttributionWindow = Duration.FromDays(2);

    private static readonly string[] Interests = ["chaussures", "sacs", "vestes"];

    /// <summary>A French fashion shop paid in euros.</summary>
    public static ShopProfile Shop { get; } = new("Maison Lefèvre (exemple)", "fr-FR", "EUR", "Europe/Paris");

    /// <inheritdoc />
    public string Id => "s3";

    /// <inheritdoc />
    public string Title => "strategies: exit intent, retargeting audience, A/B test of an offer, strategic timing, holdout (seed 002)";

    /// <inheritdoc />
    public IReadOnlyList<string> Rules { get; } =
    [
        "a basket left enters; a payment ends the journey as a conversion; 10 % of customers are held out and sent nothing",
        "+00:00:00: an exit-intent message on the site, and the customer added to the retargeting audience (needs an e-mail or a phone)",
        "+01:00:00: an e-mail about their interest, A/B test 'offer': free delivery (50 %) or no offer (50 %)",
        "the next 19:00 shop time at least 20 hours later: a last-call e-mail",
        "paid, or 2 days after the last call: the customer is removed from the audience (exit action)",
    ];

    /// <summary>The journey.</summary>
    public static JourneyDefinition Journey() =>
        Recovery.Journeys.Dsl.Journey.When<BasketAbandoned>()
            .Named(JourneyName)
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .DefaultCulture(Shop.Culture)
            .DefaultTimeZone(Shop.TimeZone)
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .Holdout(HoldoutPercent)
            .AttributionWindow(AttributionWindow)
            .OnSite("exit-intent", m => m
                .Placement("exit-intent")
                .Title("Vous partez déjà ?")
                .Body("Vos {{event.Interest}} vous attendent : votre panier de {{money event.Total \"EUR\"}} est gardé.")
                .Action("Reprendre mon panier", "https://www.maison.example/panier?commande={{event.OrderId}}"))
            .AddToAudience(Audience, "add-to-audience")
            .Then().AfterStart(EmailDelay).Experiment(OfferExperiment, test => test
                .Variant("no-offer", 50, path => path.Email("email-no-offer", m => m
                    .Subject("Vos {{event.Interest}} vous attendent")
                    .TextBody("Bonjour {{customer.name}},\n\nVotre sélection de {{event.Interest}} ({{money event.Total \"EUR\"}}) est toujours dans votre panier.\nhttps://www.maison.example/panier?commande={{event.OrderId}}")))
                .Variant("free-delivery", 50, path => path.Email("email-free-delivery", m => m
                    .Subject("Livraison offerte sur vos {{event.Interest}}")
                    .TextBody("Bonjour {{customer.name}},\n\nVotre sélection de {{event.Interest}} ({{money event.Total \"EUR\"}}) vous attend, et la livraison est offerte si vous finalisez votre commande.\nhttps://www.maison.example/panier?commande={{event.OrderId}}&livraison=offerte"))))
            .Then().AtLocalTime(LastCallTime, notBefore: LastCallAtLeast).Email("last-call", m => m
                .Subject("Dernier rappel pour vos {{event.Interest}}")
                .TextBody("Bonjour {{customer.name}},\n\nCe soir encore, votre panier de {{money event.Total \"EUR\"}} vous attend.\nhttps://www.maison.example/panier?commande={{event.OrderId}}"))
            .OnExit(x => x.RemoveFromAudience(Audience, "remove-from-audience"))
            .Build();

    /// <summary>
    /// The simulated customers, the same for the same options. How likely a customer pays depends on what the journey
    /// gives them, which it draws from their id: nothing (holdout) 12 %, no offer 20 %, free delivery 28 %.
    /// </summary>
    /// <param name="options">Size, seed and period.</param>
    public static IReadOnlyList<S3Customer> Population(ScenarioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var journey = Journey();
        var random = new Random(options.Seed);
        var customers = new List<S3Customer>(options.Customers);
        for (var i = 0; i < options.Customers; i++)
        {
            var reach = new Reach(Email: random.NextDouble() < 0.9, Phone: random.NextDouble() < 0.4);
            var customer = ScenarioPeople.Customer(i, random, reach, Shop.Culture, Shop.TimeZone);
            var basket = new BasketAbandoned(
                $"M-{i + 1:00000}", customer, Interests[random.Next(Interests.Length)], Math.Round((decimal)(40 + (random.NextDouble() * 200)), 2));
            var chance = journey.IsInHoldout(customer.Id) ? 0.12
                : journey.VariantOf(OfferExperiment, customer.Id) == "free-delivery" ? 0.28 : 0.20;

            // Seconds are odd: a payment never falls on a step's instant.
            Duration? paysAfter = random.NextDouble() < chance ? Duration.FromSeconds(random.Next(60, 3 * 86_400) | 1) : null;
            customers.Add(new S3Customer(basket, options.AnyTime(random), paysAfter));
        }

        return customers;
    }

    /// <inheritdoc />
    public Task<ScenarioResult> RunAsync(ScenarioOptions options, CancellationToken cancellationToken = default)
    {
        var population = Population(options);
        var journey = Journey();
        var events = population.Select(c => new ShopEvent(c.At, c.Basket))
            .Concat(population.Where(c => c.PaysAt is not null).Select(c => new ShopEvent(c.PaysAt!.Value, new OrderPaid(c.Basket.OrderId, c.Basket.Total))));
        bool Is(S3Customer c, string variant) =>
            !journey.IsInHoldout(c.Basket.Customer.Id) && journey.VariantOf(OfferExperiment, c.Basket.Customer.Id) == variant && c.Basket.Customer.Email is not null;
        var featured = new Featured?[]
        {
            Featured.For("Free delivery, paid after the e-mail", population.FirstOrDefault(c => Is(c, "free-delivery") && c.PaysAfter > EmailDelay && c.PaysAfter < Duration.FromHours(12))?.Basket.OrderId),
            Featured.For("No offer, never paid: off the audience at the end", population.FirstOrDefault(c => Is(c, "no-offer") && c.PaysAt is null)?.Basket.OrderId),
            Featured.For("Held out: sent nothing, paid on their own", population.FirstOrDefault(c => journey.IsInHoldout(c.Basket.Customer.Id) && c.PaysAt is not null)?.Basket.OrderId),
        };
        return ScenarioRun.RunAsync(Shop, journey, events, featured, options.Start, notes: shop => [ShopSide.Audience(shop, Audience)], cancellationToken: cancellationToken);
    }
}
