using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Runtime;

/// <summary>The journeys an event type starts (highest priority first), and the exit, wait and debounce rules it matches.</summary>
internal sealed record EventRoute(
    IReadOnlyList<JourneyDefinition> Triggers,
    IReadOnlyList<(JourneyDefinition Journey, JourneyExitRule Rule)> Exits,
    IReadOnlyList<(JourneyDefinition Journey, KeyedEventRule Rule)> Waits,
    IReadOnlyList<(JourneyDefinition Journey, KeyedEventRule Rule)> Restarts)
{
    public bool IsEmpty => Triggers.Count == 0 && Exits.Count == 0 && Waits.Count == 0 && Restarts.Count == 0;
}
