using NodaTime;

namespace Recovery.Journeys.Dsl;

// The overloads for the BCL's TimeSpan and DateTimeOffset, for a host that does not use NodaTime: each converts and
// calls the NodaTime overload, which holds the rules and the documentation.
public sealed partial class JourneyBuilder<TEvent>
{
    /// <summary>Reads when the trigger happened from the event itself.</summary>
    /// <param name="occurredAt">Selects the instant from the event.</param>
    /// <param name="maxAge">How old a trigger may be when it arrives; the default is 24 hours.</param>
    /// <seealso cref="OccurredAt(Func{TEvent, Instant}, Duration?)"/>
    public JourneyBuilder<TEvent> OccurredAt(Func<TEvent, DateTimeOffset> occurredAt, TimeSpan? maxAge = null)
    {
        ArgumentNullException.ThrowIfNull(occurredAt);
        return OccurredAt(e => Instant.FromDateTimeOffset(occurredAt(e)), maxAge is { } age ? Duration.FromTimeSpan(age) : null);
    }

    /// <summary>A customer who entered this journey less than <paramref name="period"/> ago does not enter it again.</summary>
    /// <param name="period">The cooldown; positive.</param>
    /// <seealso cref="Cooldown(Duration)"/>
    public JourneyBuilder<TEvent> Cooldown(TimeSpan period) => Cooldown(Duration.FromTimeSpan(period));

    /// <summary>Sets how long after a message a conversion is attributed to it.</summary>
    /// <param name="window">A positive duration, at most 90 days.</param>
    /// <seealso cref="AttributionWindow(Duration)"/>
    public JourneyBuilder<TEvent> AttributionWindow(TimeSpan window) => AttributionWindow(Duration.FromTimeSpan(window));

    /// <summary>Sets how long an exit event is remembered for its correlation key.</summary>
    /// <param name="period">At most 400 days; zero remembers nothing.</param>
    /// <seealso cref="RememberExitsFor(Duration)"/>
    public JourneyBuilder<TEvent> RememberExitsFor(TimeSpan period) => RememberExitsFor(Duration.FromTimeSpan(period));
}
