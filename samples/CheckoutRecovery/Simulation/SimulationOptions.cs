using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Simulation;

/// <summary>
/// The simulated population: how many customers abandon their checkout, and what share of them does what. Every
/// draw comes from one <see cref="Random"/> seeded with <see cref="Seed"/>, so a run is reproducible.
/// </summary>
public sealed record SimulationOptions
{
    /// <summary>How many customers abandon a checkout. The default is 5,000.</summary>
    public int Customers { get; init; } = 5_000;

    /// <summary>The seed of every random draw. The default is 2026.</summary>
    public int Seed { get; init; } = 2026;

    /// <summary>When the simulation starts. The default is <see cref="FakeClock.DefaultStart"/> (Monday 5 January 2026, 09:00 UTC).</summary>
    public Instant Start { get; init; } = FakeClock.DefaultStart;

    /// <summary>Customers abandon at random instants within this window after <see cref="Start"/>. The default is 4 hours.</summary>
    public Duration ArrivalWindow { get; init; } = 4.Hours();

    /// <summary>When the flash sale (60 % off) ends, after <see cref="Start"/>. The default is 30 hours.</summary>
    public Duration PromotionLength { get; init; } = 30.Hours();

    /// <summary>The share of customers who leave the payment page within 30 seconds: they never enter the journey. The default is 25 %.</summary>
    public double ShortVisitShare { get; init; } = 0.25;

    /// <summary>The share of customers without an e-mail address (the e-mail step is skipped for them). The default is 3 %.</summary>
    public double NoEmailShare { get; init; } = 0.03;

    /// <summary>The share of customers who pay before the first reminder. The default is 3 %.</summary>
    public double PayBeforeFirstReminder { get; init; } = 0.03;

    /// <summary>The share of customers who pay after the urgent first push (variant <c>urgent</c>), before the e-mail. The default is 9 %.</summary>
    public double PayAfterFirstPush { get; init; } = 0.09;

    /// <summary>The share of customers who pay after the helpful first push (variant <c>helpful</c>), before the e-mail. The default is 14 %.</summary>
    public double PayAfterHelpfulPush { get; init; } = 0.14;

    /// <summary>The share of the holdout, who get no reminder, who pay on their own after the first 5 minutes. The default is 6 %.</summary>
    public double HoldoutPaysOnTheirOwn { get; init; } = 0.06;

    /// <summary>The share of customers who pay after the e-mail, before the last push. The default is 7 %.</summary>
    public double PayAfterEmail { get; init; } = 0.07;

    /// <summary>The share of customers who pay within 30 minutes of the last push. The default is 5 %. The rest never pay.</summary>
    public double PayAfterExtraOffer { get; init; } = 0.05;

    /// <summary>Checks the options, naming every problem at once.</summary>
    /// <exception cref="ArgumentException">A count or share is out of range.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (Customers < 2)
        {
            problems.Add($"Customers must be at least 2, was {Customers}.");
        }

        foreach (var (name, share) in new[]
        {
            (nameof(ShortVisitShare), ShortVisitShare),
            (nameof(NoEmailShare), NoEmailShare),
            (nameof(PayBeforeFirstReminder), PayBeforeFirstReminder),
            (nameof(PayAfterFirstPush), PayAfterFirstPush),
            (nameof(PayAfterHelpfulPush), PayAfterHelpfulPush),
            (nameof(HoldoutPaysOnTheirOwn), HoldoutPaysOnTheirOwn),
            (nameof(PayAfterEmail), PayAfterEmail),
            (nameof(PayAfterExtraOffer), PayAfterExtraOffer),
        })
        {
            if (share is < 0 or > 1 || double.IsNaN(share))
            {
                problems.Add($"{name} must be between 0 and 1, was {share}.");
            }
        }

        if (PayBeforeFirstReminder + Math.Max(PayAfterFirstPush, PayAfterHelpfulPush) + PayAfterEmail + PayAfterExtraOffer > 1
            || PayBeforeFirstReminder + HoldoutPaysOnTheirOwn > 1)
        {
            problems.Add("The payment shares add up to more than 1.");
        }

        if (ArrivalWindow <= Duration.Zero || PromotionLength <= ArrivalWindow + 24.Hours() + 30.Minutes())
        {
            problems.Add("ArrivalWindow must be positive and the promotion must outlast the last reminder's 30 minutes for every customer.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }
    }
}
