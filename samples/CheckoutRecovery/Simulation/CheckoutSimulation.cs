using CheckoutRecovery.Channels;
using CheckoutRecovery.Journeys;
using CheckoutRecovery.Shop;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
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
        var clock = new FakeClock(options.Start);
        var pushes = new OutboxChannel<PushMessage>(clock);
        var emails = new OutboxChannel<EmailMessage>(clock);
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddRecoveryJourneys(journeys => journeys
                .AddJourney(journey)
                .AddChannel(pushes)
                .AddChannel(emails)

                // One step at a time, so every run sends in the same order.
                .ConfigureEngine(engine => engine.MaxConcurrentSteps = 1));
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<JourneyEngine>();
        var store = provider.GetRequiredService<IJourneyStore>();

        // No hosted worker here: the fake clock runs the engine's due steps as it advances.
        using (clock.Drive(engine))
        {
            foreach (var (at, customer, isPayment) in ShopEvents(population))
            {
                await clock.AdvanceToAsync(at, cancellationToken);
                if (!isPayment)
                {
                    await engine.PublishAsync(customer.Abandoned, cancellationToken);
                    continue;
                }

                var paid = await engine.PublishAsync(new OrderPaid(customer.Abandoned.OrderId, customer.AmountPaid!.Value), cancellationToken);
                if (paid.Ended.Count > 0)
                {
                    offers.RecordRecoveredOrder();
                }
            }

            // Let every journey still waiting run to its end, attribution window included.
            await clock.AdvanceAsync(timings.ExtraOfferExpiry + journey.AttributionWindow + 1.Hours(), cancellationToken);
        }

        var entered = population.Where(c => c.EntersJourney).ToList();
        return new SimulationReport(
            options,
            population,
            await StoryAsync(entered.Find(c => c.Plan == PaymentPlan.Never && c.Group == CheckoutRecoveryJourney.UrgentVariant && c.Abandoned.Customer.Email is not null)),
            await StoryAsync(entered.Find(c => c.Plan == PaymentPlan.AfterFirstPush && c.Group == CheckoutRecoveryJourney.HelpfulVariant)),
            await StoryAsync(entered.Find(c => c.IsHoldout && c.Plan == PaymentPlan.Never)),
            journey,
            await engine.ReportAsync(journey.Name, cancellationToken: cancellationToken),
            pushes.Sent,
            emails.Sent,
            clock.Now);

        async Task<CustomerStory?> StoryAsync(SimulatedCustomer? customer)
        {
            if (customer is null)
            {
                return null;
            }

            var instance = (await engine.FindInstancesAsync(new JourneyInstanceQuery(journey.Name, customer.Abandoned.OrderId), cancellationToken)).Single();
            var timeline = await engine.GetTimelineAsync(instance.Id, cancellationToken);
            var messages = pushes.Sent.Select(p => new ReceivedMessage(p.At, p.Delivery.StepId, p.Delivery.Message, p.Delivery.InstanceId))
                .Concat(emails.Sent.Select(e => new ReceivedMessage(e.At, e.Delivery.StepId, e.Delivery.Message, e.Delivery.InstanceId)))
                .Where(m => m.InstanceId == instance.Id)
                .OrderBy(m => m.At)
                .ToList();
            return new CustomerStory(customer, instance, timeline, messages);
        }
    }

    /// <summary>The shop's events in time order: each abandonment, and each payment at its instant.</summary>
    private static IEnumerable<(Instant At, SimulatedCustomer Customer, bool IsPayment)> ShopEvents(IReadOnlyList<SimulatedCustomer> population) =>
        population.Select(c => (At: c.AbandonedAt, Customer: c, IsPayment: false))
            .Concat(population.Where(c => c.PaysAt is not null).Select(c => (At: c.PaysAt!.Value, Customer: c, IsPayment: true)))

            // A stable sort: at equal instants abandonments come first, in the population's order.
            .OrderBy(e => e.At);
}
