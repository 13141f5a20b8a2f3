using CheckoutRecovery.Journeys;
using CheckoutRecovery.Shop;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Simulation;

/// <summary>What a simulated customer does about their unpaid order.</summary>
public enum PaymentPlan
{
    /// <summary>Never pays.</summary>
    Never = 0,

    /// <summary>Pays on their own, before the first reminder.</summary>
    BeforeFirstReminder = 1,

    /// <summary>Pays after the first push, before the e-mail.</summary>
    AfterFirstPush = 2,

    /// <summary>Pays after the e-mail, before the last push.</summary>
    AfterEmail = 3,

    /// <summary>Pays within 30 minutes of the last push, with the extra 10 % off.</summary>
    AfterExtraOffer = 4,

    /// <summary>In the holdout: pays later on their own, between +5 min and +24 h, with no reminder.</summary>
    OnTheirOwn = 5,
}

/// <summary>One simulated customer: their abandoned checkout and, if they pay, when and how much.</summary>
/// <param name="Abandoned">The event the shop publishes when they leave the payment page.</param>
/// <param name="AbandonedAt">When they leave it.</param>
/// <param name="Plan">What they will do.</param>
/// <param name="PaysAt">When they pay, or <see langword="null"/> if they never do.</param>
/// <param name="AmountPaid">What they pay, or <see langword="null"/> if they never do.</param>
/// <param name="Group">
/// What the journey gives them, as it assigns it from their customer id: <c>holdout</c> (nothing), or the first push's
/// variant (<c>urgent</c> or <c>helpful</c>); <see langword="null"/> for those who do not enter.
/// </param>
public sealed record SimulatedCustomer(
    CheckoutAbandoned Abandoned,
    Instant AbandonedAt,
    PaymentPlan Plan,
    Instant? PaysAt,
    decimal? AmountPaid,
    string? Group)
{
    /// <summary>Whether they are in the journey's holdout.</summary>
    public bool IsHoldout => Group == "holdout";

    /// <summary>Whether they stayed long enough on the payment page to enter the journey (more than 30 s).</summary>
    public bool EntersJourney => Abandoned.SecondsOnPaymentPage > 30;
}

/// <summary>
/// Draws a reproducible population of customers who abandon their checkout. What a customer does depends on what the
/// journey gives them: the journey assigns its holdout and its push-text variants from the customer id, the same way
/// every time, so the population can know each customer's group in advance and draw their behaviour from it.
/// </summary>
public static class Population
{
    private static readonly string[] FirstNames =
    [
        "Camille", "Léa", "Manon", "Chloé", "Inès", "Jade", "Louise", "Emma", "Zoé", "Élodie",
        "Lucas", "Hugo", "Louis", "Nathan", "Gabriel", "Jules", "Arthur", "Théo", "Raphaël", "Noé",
    ];

    private static readonly string[] LastNames =
    [
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    ];

    private static readonly CartItem[] Catalog =
    [
        new("Baskets en cuir blanc", 89.90m, "https://cdn.shop.example/img/baskets-cuir-blanc.jpg"),
        new("Sac à dos urbain", 59.00m, "https://cdn.shop.example/img/sac-a-dos-urbain.jpg"),
        new("Montre connectée", 149.00m, "https://cdn.shop.example/img/montre-connectee.jpg"),
        new("Casque sans fil", 119.00m, "https://cdn.shop.example/img/casque-sans-fil.jpg"),
        new("Veste coupe-vent", 79.50m, "https://cdn.shop.example/img/veste-coupe-vent.jpg"),
        new("Lunettes de soleil", 45.00m, "https://cdn.shop.example/img/lunettes-de-soleil.jpg"),
        new("Gourde isotherme", 24.90m, "https://cdn.shop.example/img/gourde-isotherme.jpg"),
        new("Enceinte Bluetooth", 69.99m, "https://cdn.shop.example/img/enceinte-bluetooth.jpg"),
    ];

    /// <summary>Draws the population, in the order the customers abandon their checkout.</summary>
    /// <param name="options">The population's size, shares and seed.</param>
    /// <param name="timings">The journey's timings, which the payment windows fall between.</param>
    /// <param name="journey">The journey, which says who is in its holdout and who gets which first push.</param>
    public static IReadOnlyList<SimulatedCustomer> Generate(SimulationOptions options, CheckoutRecoveryTimings timings, JourneyDefinition journey)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timings);
        ArgumentNullException.ThrowIfNull(journey);
        options.Validate();
        var random = new Random(options.Seed);
        var windowSeconds = (int)options.ArrivalWindow.TotalSeconds;
        var arrivals = Enumerable.Range(0, options.Customers).Select(_ => random.Next(windowSeconds)).Order().ToList();
        var promotionEndsAt = options.Start + options.PromotionLength;

        var customers = new List<SimulatedCustomer>(options.Customers);
        for (var i = 0; i < options.Customers; i++)
        {
            var number = i + 1;
            var name = $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]}";
            var customer = new Customer($"client-{number:00000}")
            {
                Name = name,
                Email = random.NextDouble() < options.NoEmailShare ? null : $"client{number:00000}@mail.example",

                // Everyone has the shop's app here: the journey's pushes need a push token.
                PushToken = $"app-token-{number:00000}",
                Culture = "fr-FR",
                TimeZone = "Europe/Paris",
            };
            var items = Catalog.OrderBy(_ => random.Next()).Take(1 + random.Next(3)).ToList();
            var seconds = random.NextDouble() < options.ShortVisitShare ? random.Next(5, 31) : random.Next(31, 601);
            var abandoned = new CheckoutAbandoned($"CMD-{number:00000}", customer, items, 60, promotionEndsAt, seconds);
            var abandonedAt = options.Start + Duration.FromSeconds(arrivals[i]);

            var group = seconds <= 30 ? null
                : journey.IsInHoldout(customer.Id) ? "holdout"
                : journey.VariantOf(CheckoutRecoveryJourney.PushTextExperiment, customer.Id);
            var (plan, paysAfter) = DrawPayment(random, options, timings, group);
            decimal? amount = plan switch
            {
                PaymentPlan.Never => null,
                PaymentPlan.AfterExtraOffer => Math.Round(abandoned.Total * 0.9m, 2, MidpointRounding.AwayFromZero),
                _ => abandoned.Total,
            };
            customers.Add(new SimulatedCustomer(abandoned, abandonedAt, plan, abandonedAt + paysAfter, amount, group));
        }

        return customers;
    }

    /// <summary>
    /// Draws what a customer does and when, strictly between two reminders so no payment ties with a send. A customer in
    /// the holdout gets no reminder, so pays only on their own; the helpful first push persuades more customers than the
    /// urgent one.
    /// </summary>
    private static (PaymentPlan Plan, Duration? After) DrawPayment(Random random, SimulationOptions options, CheckoutRecoveryTimings timings, string? group)
    {
        var draw = random.NextDouble();
        var thresholds = group == "holdout"
            ? new (double Share, PaymentPlan Plan, Duration From, Duration To)[]
            {
                (options.PayBeforeFirstReminder, PaymentPlan.BeforeFirstReminder, Duration.FromMinutes(1), timings.FirstPush),
                (options.HoldoutPaysOnTheirOwn, PaymentPlan.OnTheirOwn, timings.FirstPush, timings.ExtraOfferPush),
            }
            : new (double Share, PaymentPlan Plan, Duration From, Duration To)[]
            {
                (options.PayBeforeFirstReminder, PaymentPlan.BeforeFirstReminder, Duration.FromMinutes(1), timings.FirstPush),
                (group == CheckoutRecoveryJourney.HelpfulVariant ? options.PayAfterHelpfulPush : options.PayAfterFirstPush, PaymentPlan.AfterFirstPush, timings.FirstPush, timings.Email),
                (options.PayAfterEmail, PaymentPlan.AfterEmail, timings.Email, timings.ExtraOfferPush),
                (options.PayAfterExtraOffer, PaymentPlan.AfterExtraOffer, timings.ExtraOfferPush, timings.ExtraOfferPush + 30.Minutes()),
            };

        var cumulative = 0.0;
        foreach (var (share, plan, from, to) in thresholds)
        {
            cumulative += share;
            if (draw < cumulative)
            {
                var seconds = random.NextInt64((long)from.TotalSeconds + 1, (long)to.TotalSeconds);
                return (plan, Duration.FromSeconds(seconds));
            }
        }

        return (PaymentPlan.Never, null);
    }
}
