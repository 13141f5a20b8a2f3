namespace Recovery.Journeys;

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
}

internal sealed class JourneyExitRule<TExit>(
    Func<TExit, string?> correlate,
    Func<TExit, bool>? filter,
    Func<TExit, decimal>? value,
    bool isConversion)
    : JourneyExitRule(typeof(TExit), isConversion)
{
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

/// <summary>Configures an exit rule: <c>.ExitWhen&lt;OrderPaid&gt;(e =&gt; e.OrderId, exit =&gt; exit.WithValue(e =&gt; e.Amount))</c>.</summary>
/// <typeparam name="TExit">The exit event type.</typeparam>
public sealed class ExitRuleBuilder<TExit>
{
    internal Func<TExit, bool>? Filter { get; private set; }

    internal Func<TExit, decimal>? Value { get; private set; }

    internal bool IsConversion { get; private set; } = true;

    /// <summary>Only events that pass <paramref name="filter"/> end the journey.</summary>
    /// <param name="filter">The condition.</param>
    public ExitRuleBuilder<TExit> Where(Func<TExit, bool> filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        Filter = filter;
        return this;
    }

    /// <summary>Records the conversion's value (the amount paid), summed as recovered revenue in reports.</summary>
    /// <param name="value">Selects the value from the event.</param>
    public ExitRuleBuilder<TExit> WithValue(Func<TExit, decimal> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
        return this;
    }

    /// <summary>The event ends the journey without counting as its goal (an order cancelled, not paid).</summary>
    public ExitRuleBuilder<TExit> NotAConversion()
    {
        IsConversion = false;
        return this;
    }
}
