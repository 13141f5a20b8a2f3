using NodaTime;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Reports;
using CheckoutRecovery.Simulation;

namespace CheckoutRecovery.Scenarios;

/// <summary>One customer whose timeline a scenario prints, with why it was chosen.</summary>
/// <param name="Title">What happened to them, in a line.</param>
/// <param name="Story">Their instances' timelines and messages, oldest first (several when a newer cart superseded an older one).</param>
public sealed record FeaturedCustomer(string Title, IReadOnlyList<InstanceStory> Story);

/// <summary>What a scenario's run produced: the journey, its report, and the customers it shows.</summary>
/// <param name="Shop">The shop.</param>
/// <param name="Journey">The journey the scenario ran.</param>
/// <param name="Report">The journey's report at the end of the run, days counted in the shop's zone.</param>
/// <param name="Featured">The customers whose timelines are printed.</param>
/// <param name="SimulatedUntil">The fake clock's reading at the end.</param>
public sealed record ScenarioResult(
    ShopProfile Shop,
    JourneyDefinition Journey,
    JourneyReport Report,
    IReadOnlyList<FeaturedCustomer> Featured,
    Instant SimulatedUntil)
{
    /// <summary>What the shop's side shows at the end (a CRM list's members, an audience's), one line each.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
