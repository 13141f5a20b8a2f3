using CheckoutRecovery.Journeys;
using CheckoutRecovery.Shop;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Reports;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Simulation;

/// <summary>
/// Runs the checkout-recovery journey for a population of simulated customers on the fake clock: the shop
/// publishes each abandonment and each payment at its instant, and the clock runs every reminder at its own due
/// instant in between. Days of journeys take a second or two.
/// </summary>
public static class CheckoutSimulation
{
    /// <summary>Runs the simulation.</summary>
    /// <param name="options">The population; the defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The two featured customers, the funnel and everything the channels received.</returns>
    public static async Task<SimulationReport> RunAsync(SimulationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SimulationOptions();
        var timings = CheckoutRecoveryTimings.Production;
        var offers = new OfferDesk();
        var journey = CheckoutRecoveryJourney.Build(offers, timings);
        var population = Population.Generate(options, timings, journey);

        // The registration a real app makes, with the fake clock as the container's TimeProvider.
        await using var shop = SimulatedShop.Start([journey], options.Start);
        foreach (var (at, customer, isPayment) in ShopEvents(population))
        {
            if (!isPayment)
            {
                await shop.PublishAtAsync(at, customer.Abandoned, cancellationToken);
                continue;
            }

            var paid = await shop.PublishAtAsync(at, new OrderPaid(customer.Abandoned.OrderId, customer.AmountPaid!.Value), cancellationToken);
            if (paid.Ended.Count > 0)
            {
                offers.RecordRecoveredOrder();
            }
        }

        // Let every journey still waiting run to its end, attribution window included.
        await shop.Clock.AdvanceAsync(timings.ExtraOfferExpiry + journey.AttributionWindow + 1.Hours(), cancellationToken);

        var entered = population.Where(c => c.EntersJourney).ToList();
        return new SimulationReport(
            options,
            population,
            await StoryAsync(entered.Find(c => c.Plan == PaymentPlan.Never && c.Group == CheckoutRecoveryJourney.UrgentVariant && c.Abandoned.Customer.Email is not null)),
            await StoryAsync(entered.Find(c => c.Plan == PaymentPlan.AfterFirstPush && c.Group == CheckoutRecoveryJourney.HelpfulVariant)),
            await StoryAsync(entered.Find(c => c.IsHoldout && c.Plan == PaymentPlan.Never)),
            journey,
            await shop.Engine.ReportAsync(journey.Name, new JourneyReportOptions { TimeZone = DateTimeZoneProviders.Tzdb["Europe/Paris"] }, cancellationToken),
            shop.Outbox<PushMessage>().Sent,
            shop.Outbox<EmailMessage>().Sent,
            shop.Clock.Now);

        async Task<CustomerStory?> StoryAsync(SimulatedCustomer? customer)
        {
            if (customer is null)
            {
                return null;
            }

            var story = (await shop.StoriesAsync(journey.Name, customer.Abandoned.OrderId, cancellationToken)).Single();
            return new CustomerStory(customer, story.Instance, story.Timeline, story.Messages);
        }
    }

    /// <summary>The shop's events in time order: each abandonment, and each payment at its instant.</summary>
    private static IEnumerable<(Instant At, SimulatedCustomer Customer, bool IsPayment)> ShopEvents(IReadOnlyList<SimulatedCustomer> population) =>
        population.Select(c => (At: c.AbandonedAt, Customer: c, IsPayment: false))
            .Concat(population.Where(c => c.PaysAt is not null).Select(c => (At: c.PaysAt!.Value, Customer: c, IsPayment: true)))

            // A stable sort: at equal instants abandonments come first, in the population's order.
            .OrderBy(e => e.At);
}
