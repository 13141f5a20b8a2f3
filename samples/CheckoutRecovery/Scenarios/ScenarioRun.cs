using CheckoutRecovery.Simulation;
using NodaTime;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Hosting;
using Recovery.Journeys.Reports;

namespace CheckoutRecovery.Scenarios;

/// <summary>A shop event and when the shop publishes it.</summary>
/// <param name="At">When the shop publishes it.</param>
/// <param name="Event">The event.</param>
public sealed record ShopEvent(Instant At, object Event);

/// <summary>A customer a scenario prints, by the correlation keys of their instances.</summary>
/// <param name="Title">What happens to them, in a line.</param>
/// <param name="Keys">Their instances' correlation keys (orders, carts), oldest first.</param>
public sealed record Featured(string Title, params string[] Keys)
{
    /// <summary>The customer with this key, or <see langword="null"/> when there is none (a small population may have no such customer).</summary>
    /// <param name="title">What happens to them.</param>
    /// <param name="key">Their instance's correlation key, or <see langword="null"/>.</param>
    public static Featured? For(string title, string? key) => key is null ? null : new(title, key);
}

/// <summary>
/// Runs a scenario on a <see cref="SimulatedShop"/>: publishes the shop's events at their instants, lets every journey
/// run to its end, and reads the report (days in the shop's zone) and the featured customers' timelines.
/// </summary>
public static class ScenarioRun
{
    /// <summary>Runs the events through the journey and returns what the scenario prints.</summary>
    /// <param name="shop">The shop.</param>
    /// <param name="journey">The scenario's journey.</param>
    /// <param name="events">The shop's events, in any order; ties keep their order.</param>
    /// <param name="featured">The customers whose timelines are printed; a <see langword="null"/> (no such customer in a small population) or one without an instance is left out.</param>
    /// <param name="start">Where the clock starts.</param>
    /// <param name="configure">What the journey needs besides the channels (content providers, ...).</param>
    /// <param name="notes">What the shop's side shows at the end, read from the channels' outboxes.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<ScenarioResult> RunAsync(
        ShopProfile shop,
        JourneyDefinition journey,
        IEnumerable<ShopEvent> events,
        IEnumerable<Featured?> featured,
        Instant start,
        Action<RecoveryJourneysBuilder>? configure = null,
        Func<SimulatedShop, IEnumerable<string>>? notes = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(journey);
        await using var simulated = SimulatedShop.Start([journey], start, configure);
        foreach (var shopEvent in events.OrderBy(e => e.At))
        {
            await simulated.PublishAtAsync(shopEvent.At, shopEvent.Event, cancellationToken);
        }

        // Every step, every attribution window and every exit action, to the end.
        await simulated.RunToEndAsync(cancellationToken);

        var stories = new List<FeaturedCustomer>();
        foreach (var customer in featured.OfType<Featured>())
        {
            var instances = new List<InstanceStory>();
            foreach (var key in customer.Keys)
            {
                instances.AddRange(await simulated.StoriesAsync(journey.Name, key, cancellationToken));
            }

            if (instances.Count > 0)
            {
                stories.Add(new FeaturedCustomer(customer.Title, instances));
            }
        }

        var options = new JourneyReportOptions { TimeZone = DateTimeZoneProviders.Tzdb[shop.TimeZone] };
        var report = await simulated.Engine.ReportAsync(journey.Name, options, cancellationToken);
        return new ScenarioResult(shop, journey, report, stories, simulated.Clock.Now) { Notes = notes?.Invoke(simulated).ToList() ?? [] };
    }
}
