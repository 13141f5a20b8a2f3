using System.Collections.Concurrent;

namespace Recovery.Journeys.Engine;

/// <summary>
/// The journeys an engine runs, every registered version of each, and which of them an event type concerns.
/// </summary>
/// <remarks>Triggers start the latest version of a journey; exits apply to instances of every version.</remarks>
internal sealed class JourneyCatalog
{
    private readonly Dictionary<(string Name, int Version), JourneyDefinition> _byVersion = [];
    private readonly List<JourneyDefinition> _latest;
    private readonly ConcurrentDictionary<Type, EventRoute> _routes = new();

    public JourneyCatalog(IEnumerable<JourneyDefinition> journeys)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        foreach (var journey in journeys)
        {
            ArgumentNullException.ThrowIfNull(journey, nameof(journeys));
            if (!_byVersion.TryAdd((journey.Name, journey.Version), journey))
            {
                throw new JourneyDefinitionException(journey.Name, null, $"version {journey.Version} is registered twice");
            }
        }

        _latest = _byVersion.Values.GroupBy(j => j.Name).Select(g => g.MaxBy(j => j.Version)!).OrderBy(j => j.Name, StringComparer.Ordinal).ToList();
        All = [.. _byVersion.Values.OrderBy(j => j.Name, StringComparer.Ordinal).ThenBy(j => j.Version)];
    }

    /// <summary>Every registered definition, every version.</summary>
    public IReadOnlyList<JourneyDefinition> All { get; }

    /// <summary>The latest version of each journey.</summary>
    public IReadOnlyList<JourneyDefinition> Latest => _latest;

    public JourneyDefinition? Find(string name, int version) => _byVersion.GetValueOrDefault((name, version));

    public EventRoute RouteFor(Type eventType) => _routes.GetOrAdd(eventType, BuildRoute);

    private EventRoute BuildRoute(Type eventType)
    {
        var triggers = _latest.Where(j => j.EventType.IsAssignableFrom(eventType)).ToList();
        var exits = All
            .SelectMany(j => j.Exits.Where(e => e.EventType.IsAssignableFrom(eventType)).Select(e => (Journey: j, Rule: e)))
            .ToList();
        return new EventRoute(triggers, exits);
    }
}

/// <summary>The journeys an event type starts, and the exit rules it matches.</summary>
internal sealed record EventRoute(
    IReadOnlyList<JourneyDefinition> Triggers,
    IReadOnlyList<(JourneyDefinition Journey, JourneyExitRule Rule)> Exits)
{
    public bool IsEmpty => Triggers.Count == 0 && Exits.Count == 0;
}
