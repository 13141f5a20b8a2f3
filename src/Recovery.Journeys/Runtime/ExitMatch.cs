using NodaTime;
using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Runtime;

/// <summary>An exit rule an event matched: the journey version, the rule, the key, the conversion value and the event's own instant.</summary>
internal readonly record struct ExitMatch(JourneyDefinition Journey, JourneyExitRule Rule, string Key, decimal? Value, Instant? OccurredAt);
