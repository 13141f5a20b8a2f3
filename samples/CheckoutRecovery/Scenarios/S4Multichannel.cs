using CheckoutRecovery.Shop;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;

namespace CheckoutRecovery.Scenarios;

/// <summary>The shop's segments of visitors, from their history.</summary>
public enum VisitorSegment
{
    /// <summary>Browses, rarely buys: nothing to say yet.</summary>
    Browser = 0,

    /// <summary>Has bought before: worth reminding.</summary>
    Buyer = 1,
}

/// <summary>The shop's event in S4: a visitor left a basket.</summary>
/// <param name="OrderId">The basket's order number, the journey's correlation key.</param>
/// <param name="Customer">Who left it.</param>
/// <param name="Segment">Their segment.</param>
/// <param name="Total">The basket's total.</param>
public sealed record BasketLeft(string OrderId, Customer Customer, VisitorSegment Segment, decimal Total);

/// <summary>One S4 visitor: their basket and, if they pay, when.</summary>
/// <param name="Basket">The event the shop publishes.</param>
/// <param name="At">When.</param>
/// <param name="PaysAfter">How long after leaving they pay, or <see langword="null"/> if they never do.</param>
public sealed record S4Customer(BasketLeft Basket, Instant At, Duration? PaysAfter)
{
    /// <summary>When they pay, if they do.</summary>
    public Instant? PaysAt => At + PaysAfter;
}

/// <summary>
/// Scenario S4 (seed 003, Infobip, multichannel): only buyers enter (a segment as the entry filter: a browser needs
/// nothing yet); app push and web push together, then an SMS, or the same text by e-mail when there is no phone, then
/// a chat message offering help. A new timing (the first push after 20 minutes instead of an hour) is rolled out to
/// 10 % of the customers first. A Swiss shop: French, Swiss francs.
/// </summary>
public sealed class S4Multichannel : IScenario
{
    /// <summary>The journey's name.</summary>
    public const string JourneyName = "multichannel";

    /// <summary>The rollout of the new timing.</summary>
    public const string TimingExperiment = "push-timing";

    /// <summary>The current timing's push, at +1 h.</summary>
    public static readonly Duration CurrentPushDelay = Duration.FromHours(1);

    /// <summary>The new timing's push, at +20 min, for 10 % of the customers.</summary>
    public static readonly Duration NewPushDelay = Duration.FromMinutes(20);

    /// <summary>The SMS, or the e-mail, after the start.</summary>
    public static readonly Duration SmsOrEmailDelay = Duration.FromHours(4);

    /// <summary>The chat message after the start.</summary>
    public static readonly Duration ChatDelay = Duration.FromDays(1);

    /// <summary>A payment within this long of a message is attributed to it; the journey ends this long after the last.</summary>
    public static readonly Duration AttributionWindow = Duration.FromDays(1);

    /// <summary>A Swiss shop, in French, paid in Swiss francs.</summary>
    public static ShopProfile Shop { get; } = new("Boutique Léman (exemple)", "fr-CH", "CHF", "Europe/Zurich");

    /// <inheritdoc />
    public string Id => "s4";

    /// <inheritdoc />
    public string Title => "multichannel: segment filter, app + web push, SMS or e-mail, chat, 10 % rollout of a new timing (seed 003)";

    /// <inheritdoc />
    public IReadOnlyList<string> Rules { get; } =
    [
        "a basket left by a buyer enters (the segment is the entry filter); a browser's does not; a payment ends the journey as a conversion",
        "app push and web push together, on each the customer has: at +01:00:00, or at +00:20:00 for the 10 % in the new timing's rollout",
        "+04:00:00: an SMS when the phone is known, else the same text by e-mail",
        "+24:00:00: a chat message offering help, to those with a chat handle",
    ];

    /// <summary>The journey.</summary>
    public static JourneyDefinition Journey() =>
        Recovery.Journeys.Dsl.Journey.When<BasketLeft>(e => e.Segment == VisitorSegment.Buyer)
            .Named(JourneyName)
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .DefaultCulture(Shop.Culture)
            .DefaultTimeZone(Shop.TimeZone)
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .AttributionWindow(AttributionWindow)
            .Experiment(TimingExperiment, test => test
                .Variant("one-hour", 90, path => path.After(CurrentPushDelay).FanOut("push-1h", Pushes))
                .Variant("twenty-minutes", 10, path => path.After(NewPushDelay).FanOut("push-20min", Pushes)))
            .Then().AfterStart(SmsOrEmailDelay).Fallback("sms-or-email", c => c
                .Sms(s => s.Text(Reminder))
                .Email(m => m.Subject("Votre panier vous attend").TextBody(Reminder)))
            .Then().AfterStart(ChatDelay).Chat("chat-help", m => m
                .Text("Bonjour {{customer.name}}, un souci avec votre commande {{event.OrderId}} ? Nous pouvons vous aider ici.")
                .QuickReply("Oui, aidez-moi")
                .QuickReply("Non merci"))
            .Build();

    /// <summary>The simulated visitors, the same for the same options: 60 % buyers, of whom 30 % pay within two days.</summary>
    /// <param name="options">Size, seed and period.</param>
    public static IReadOnlyList<S4Customer> Population(ScenarioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(options.Seed);
        var customers = new List<S4Customer>(options.Customers);
        for (var i = 0; i < options.Customers; i++)
        {
            var reach = new Reach(
                Email: random.NextDouble() < 0.8,
                Phone: random.NextDouble() < 0.55,
                AppPush: random.NextDouble() < 0.45,
                WebPush: random.NextDouble() < 0.35,
                Chat: random.NextDouble() < 0.25);
            var customer = ScenarioPeople.Customer(i, random, reach, Shop.Culture, Shop.TimeZone);
            var segment = random.NextDouble() < 0.6 ? VisitorSegment.Buyer : VisitorSegment.Browser;
            var basket = new BasketLeft($"L-{i + 1:00000}", customer, segment, Math.Round((decimal)(35 + (random.NextDouble() * 265)), 2));

            // Seconds are odd: a payment never falls on a step's instant.
            Duration? paysAfter = random.NextDouble() < 0.3 ? Duration.FromSeconds(random.Next(60, 2 * 86_400) | 1) : null;
            customers.Add(new S4Customer(basket, options.AnyTime(random), paysAfter));
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
        bool Buyer(S4Customer c) => c.Basket.Segment == VisitorSegment.Buyer;
        var featured = new Featured?[]
        {
            Featured.For(
                "A buyer with the app, a browser subscription and a phone, never paid",
                population.FirstOrDefault(c => Buyer(c) && c.PaysAt is null && c.Basket.Customer is { PushToken: not null, WebPushEndpoint: not null, Phone: not null, ChatId: not null })?.Basket.OrderId),
            Featured.For(
                "A buyer in the new timing's rollout, no phone: the reminder by e-mail, then paid",
                population.FirstOrDefault(c => Buyer(c) && journey.VariantOf(TimingExperiment, c.Basket.Customer.Id) == "twenty-minutes" && c.Basket.Customer is { Phone: null, Email: not null } && c.PaysAfter > SmsOrEmailDelay && c.PaysAfter < ChatDelay)?.Basket.OrderId),
        };
        var browsers = population.Count(c => !Buyer(c));
        return ScenarioRun.RunAsync(
            Shop,
            journey,
            events,
            featured,
            options.Start,
            notes: _ => [$"browsers who left a basket and did not enter (segment filter): {browsers}"],
            cancellationToken: cancellationToken);
    }

    // The same content on every channel.
    private const string Reminder = "Votre panier de {{money event.Total \"CHF\"}} vous attend : https://www.leman.example/panier/{{event.OrderId}}";

    private static void Pushes(ChannelSetBuilder<BasketLeft> channels) => channels
        .Push(p => p.Title("Votre panier vous attend").Body("{{money event.Total \"CHF\"}} d'articles gardés pour vous.").DeepLink("leman://panier/{{event.OrderId}}"))
        .WebPush(w => w.Title("Votre panier vous attend").Body("{{money event.Total \"CHF\"}} d'articles gardés pour vous.").Url("https://www.leman.example/panier/{{event.OrderId}}"));
}
