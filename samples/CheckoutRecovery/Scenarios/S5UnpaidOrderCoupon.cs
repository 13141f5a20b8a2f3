using CheckoutRecovery.Shop;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;

namespace CheckoutRecovery.Scenarios;

/// <summary>The shop's event in S5: an order for an offer (a course) is still unpaid.</summary>
/// <param name="OrderId">The order, the journey's correlation key.</param>
/// <param name="Customer">Who ordered.</param>
/// <param name="Offer">The offer's name.</param>
/// <param name="Price">The offer's price, without discount.</param>
public sealed record OrderUnpaid(string OrderId, Customer Customer, string Offer, decimal Price);

/// <summary>What a simulated S5 customer does about their unpaid order.</summary>
public enum S5Plan
{
    /// <summary>Never pays.</summary>
    Never = 0,

    /// <summary>Pays at full price before +30 min, before any coupon (a slow payment that went through).</summary>
    BeforeCoupon = 1,

    /// <summary>Pays with the coupon, between +30 min and +24 h 30.</summary>
    WithCoupon = 2,

    /// <summary>Pays at full price after +24 h 30, once off the list and the coupon revoked.</summary>
    AfterRevocation = 3,
}

/// <summary>One S5 customer: their unpaid order and, if they pay, when and how much.</summary>
/// <param name="Order">The event the shop publishes.</param>
/// <param name="At">When the order became unpaid.</param>
/// <param name="Plan">What they do.</param>
/// <param name="PaysAt">When they pay, if they do.</param>
/// <param name="Amount">What they pay, if they do.</param>
public sealed record S5Customer(OrderUnpaid Order, Instant At, S5Plan Plan, Instant? PaysAt, decimal? Amount);

/// <summary>
/// Scenario S5 (seed 004, Kwiga, "Envoi d'e-mails avec codes promo"): 30 minutes after an order is left unpaid the
/// customer joins the coupon-eligibility list and gets an e-mail with a personal coupon (name, discount, validity,
/// price without and with it); the list removal and the coupon's revocation come at payment or 24 hours later.
/// </summary>
public sealed class S5UnpaidOrderCoupon : IScenario
{
    /// <summary>The journey's name.</summary>
    public const string JourneyName = "unpaid-order-coupon";

    /// <summary>The CRM list that makes the coupon usable.</summary>
    public const string List = "coupon-eligible";

    /// <summary>The coupon's discount, in percent.</summary>
    public const int PercentOff = 20;

    /// <summary>When the list and the coupon e-mail come after the order is left unpaid.</summary>
    public static readonly Duration CouponDelay = Duration.FromMinutes(30);

    /// <summary>How long after that the customer stays on the list if they do not pay.</summary>
    public static readonly Duration Eligibility = Duration.FromHours(24);

    private static readonly (string Name, decimal Price)[] Offers =
    [
        ("Formation Excel avancé", 149m), ("Atelier photo en ligne", 79m), ("Cours de guitare, niveau 1", 59m), ("Masterclass marketing", 249m),
    ];

    /// <summary>A French course platform paid in euros.</summary>
    public static ShopProfile Shop { get; } = new("Académie Kwiga (exemple)", "fr-FR", "EUR", "Europe/Paris");

    /// <inheritdoc />
    public string Id => "s5";

    /// <inheritdoc />
    public string Title => "unpaid-order coupon: CRM list, coupon e-mail, removal and revocation (seed 004)";

    /// <inheritdoc />
    public IReadOnlyList<string> Rules { get; } =
    [
        "an unpaid order enters; a payment ends the journey as a conversion",
        "+00:30:00: the customer is added to the CRM list 'coupon-eligible', a personal coupon RELANCE-20 (-20 %, valid 24 h) is issued and e-mailed with its name, discount, validity and the price without and with it",
        "paid, or still unpaid at +24:30:00: the customer is removed from the list and the coupon revoked (exit actions, run once)",
        "a payment before +00:30:00 gets no coupon; a payment after +24:30:00 is not the journey's",
    ];

    /// <summary>The journey.</summary>
    public static JourneyDefinition Journey() =>
        Recovery.Journeys.Dsl.Journey.When<OrderUnpaid>()
            .Named(JourneyName)
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .DefaultCulture(Shop.Culture)
            .DefaultTimeZone(Shop.TimeZone)
            .ExitWhen<OrderPaid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))

            // After its last step the journey listens for the payment for 24 hours, then ends: the exit actions below
            // run then, or at the payment, whichever comes first.
            .AttributionWindow(Eligibility)
            .AfterStart(CouponDelay).AddToCrmList(List, "add-to-list")
            .IssueCoupon(
                coupon => coupon.Named("RELANCE-20").PercentOff(PercentOff).ValidFor(Eligibility).ForPrice(e => e.Price),
                "issue-coupon")
            .Email("coupon-email", m => m
                .Subject("Votre code {{coupon.code}} : {{coupon.discount}} de remise sur {{event.Offer}}")
                .TextBody("""
                    Bonjour {{customer.name}},

                    Votre commande {{event.OrderId}} ({{event.Offer}}) n'est pas encore payée.
                    Coupon {{coupon.name}} : {{coupon.discount}} de remise avec le code {{coupon.code}}, valable {{timeLeft coupon.expiresAt}}.
                    Prix : {{money coupon.priceAfter "EUR"}} au lieu de {{money coupon.priceBefore "EUR"}}.
                    Ce code est personnel : il ne fonctionne que pour vous.
                    """))
            .OnExit(x => x.RemoveFromCrmList(List, "remove-from-list").RevokeCoupon("revoke-coupon"))
            .Build();

    /// <summary>The simulated customers, the same for the same options.</summary>
    /// <param name="options">Size, seed and period.</param>
    public static IReadOnlyList<S5Customer> Population(ScenarioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(options.Seed);
        var customers = new List<S5Customer>(options.Customers);
        for (var i = 0; i < options.Customers; i++)
        {
            var customer = ScenarioPeople.Customer(i, random, new Reach(), Shop.Culture, Shop.TimeZone);
            var (offer, price) = Offers[random.Next(Offers.Length)];
            var at = options.AnyTime(random);
            var order = new OrderUnpaid($"K-{i + 1:00000}", customer, offer, price);
            var draw = random.NextDouble();

            // Payment instants fall on odd seconds, never at a step's instant.
            S5Customer planned = draw switch
            {
                < 0.20 => new(order, at, S5Plan.BeforeCoupon, at + Duration.FromSeconds(random.Next(60, 29 * 60) | 1), price),
                < 0.50 => new(order, at, S5Plan.WithCoupon, at + CouponDelay + Duration.FromSeconds(random.Next(60, 23 * 3600) | 1), price * (100 - PercentOff) / 100),
                < 0.55 => new(order, at, S5Plan.AfterRevocation, at + CouponDelay + Eligibility + Duration.FromSeconds(random.Next(60, 24 * 3600) | 1), price),
                _ => new(order, at, S5Plan.Never, null, null),
            };
            customers.Add(planned);
        }

        return customers;
    }

    /// <inheritdoc />
    public Task<ScenarioResult> RunAsync(ScenarioOptions options, CancellationToken cancellationToken = default)
    {
        var population = Population(options);
        var events = population.Select(c => new ShopEvent(c.At, c.Order))
            .Concat(population.Where(c => c.PaysAt is not null).Select(c => new ShopEvent(c.PaysAt!.Value, new OrderPaid(c.Order.OrderId, c.Amount!.Value))));
        var featured = new Featured?[]
        {
            Featured.For("Paid with the coupon", population.FirstOrDefault(c => c.Plan == S5Plan.WithCoupon)?.Order.OrderId),
            Featured.For("Never paid: off the list and the coupon revoked at +24:30:00", population.FirstOrDefault(c => c.Plan == S5Plan.Never)?.Order.OrderId),
            Featured.For("Paid before +00:30:00: no coupon", population.FirstOrDefault(c => c.Plan == S5Plan.BeforeCoupon)?.Order.OrderId),
        };
        var coupons = new ShopCoupons();
        return ScenarioRun.RunAsync(
            Shop,
            Journey(),
            events,
            featured,
            options.Start,
            configure: journeys => journeys.UseCouponService(coupons),
            notes: shop => [ShopSide.CrmList(shop, List), coupons.Summary],
            cancellationToken: cancellationToken);
    }
}
