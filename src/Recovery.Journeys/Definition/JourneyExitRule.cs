using NodaTime;

namespace Recovery.Journeys.Definition;

/// <summary>An event that ends a journey instance early: its goal (a conversion) or another reason to stop.</summary>
public abstract class JourneyExitRule
{
    private protected JourneyExitRule(Type eventType, bool isConversion)
    {
        EventType = eventType;
        IsConversion = isConversion;
    }

    /// <summary>The event type that ends the journey.</summary>
    public Type EventType { get; }

    /// <summary>Whether the exit counts as the journey's goal (a conversion). True unless <c>NotAConversion()</c> was called.</summary>
    public bool IsConversion { get; }

    /// <summary>Describes the rule, e.g. <c>OrderPaid (conversion)</c>.</summary>
    public override string ToString() => $"{EventType.Name} ({(IsConversion ? "conversion" : "exit")})";

    internal abstract bool TryMatch(object @event, out string? correlationKey, out decimal? value);

    /// <summary>The exit event's own instant, when the rule knows it (<c>OccurredAt</c>); else the instant it was published.</summary>
    internal abstract Instant? OccurredAtOf(object @event);
}

internal sealed class JourneyExitRule<TExit>(
    Func<TExit, string?> correlate,
    Func<TExit, bool>? filter,
    Func<TExit, decimal>? value,
    bool isConversion,
    Func<TExit, Instant>? occurredAt)
    : JourneyExitRule(typeof(TExit), isConversion)
{
    internal override Instant? OccurredAtOf(object @event) => occurredAt?.Invoke((TExit)@event);

    internal override bool TryMatch(object @event, out string? correlationKey, out decimal? conversionValue)
    {
        var typed = (TExit)@event;
        if (filter is not null && !filter(typed))
        {
            correlationKey = null;
            conversionValue = null;
            return false;
        }

        correlationKey = correlate(typed);
        conversionValue = value?.Invoke(typed);
        return true;
    }
}
