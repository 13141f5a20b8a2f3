using NodaTime;

namespace CheckoutRecovery.Scenarios;

/// <summary>How big a scenario's simulated shop is, and where its clock starts.</summary>
/// <param name="Customers">How many customers abandon something over the period.</param>
/// <param name="Seed">The random seed the population is drawn from: the same seed gives the same run.</param>
/// <param name="Days">Over how many days the abandonments are spread, one a customer.</param>
public sealed record ScenarioOptions(int Customers = 2_000, int Seed = 14, int Days = 7)
{
    /// <summary>When the clock starts: a Monday at 08:00 UTC.</summary>
    public Instant Start { get; init; } = Instant.FromUtc(2026, 11, 2, 8, 0);

    /// <summary>A uniformly drawn instant in the period, on a whole second.</summary>
    /// <param name="random">The population's random source.</param>
    public Instant AnyTime(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Start + Duration.FromSeconds(random.NextInt64(0, Days * 86_400L));
    }
}
