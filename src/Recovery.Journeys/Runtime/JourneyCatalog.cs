using System.Collections.Concurrent;
using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Runtime;

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

    /// <summary>The latest version of a journey, or <see langword="null"/>.</summary>
    /// <remarks>A loop, not <c>Find</c> with a lambda: that made a closure and a delegate at every exit.</remarks>
    public JourneyDefinition? LatestOf(string name)
    {
        for (var i = 0; i < _latest.Count; i++)
        {
            if (_latest[i].Name == name)
            {
                return _latest[i];
            }
        }

        return null;
    }

    /// <summary>The arbitration priority of a journey's latest version, or <see langword="null"/>.</summary>
    public int? PriorityOf(string name) => LatestOf(name)?.Priority;

    public EventRoute RouteFor(Type eventType) =>
        _routes.TryGetValue(eventType, out var route) ? route : _routes.GetOrAdd(eventType, BuildRoute); // no delegate once known

    private EventRoute BuildRoute(Type eventType)
    {
        var triggers = _latest.Where(j => j.EventType.IsAssignableFrom(eventType)).ToList();
        var exits = All
            .SelectMany(j => j.Exits.Where(e => e.EventType.IsAssignableFrom(eventType)).Select(e => (Journey: j, Rule: e)))
            .ToList();
        var waits = All.SelectMany(j => j.Waits.Where(w => w.EventType.IsAssignableFrom(eventType)).Select(w => (Journey: j, Rule: w))).ToList();
        var restarts = All.SelectMany(j => j.Restarts.Where(r => r.EventType.IsAssignableFrom(eventType)).Select(r => (Journey: j, Rule: r))).ToList();
        return new EventRoute(triggers.OrderByDescending(j => j.Priority ?? int.MinValue).ToList(), exits, waits, restarts);
    }
}
