using NodaTime;

namespace Recovery.Journeys.Dsl;

/// <summary>Configures an exit rule: <c>.ExitWhen&lt;OrderPaid&gt;(e =&gt; e.OrderId, exit =&gt; exit.WithValue(e =&gt; e.Amount))</c>.</summary>
/// <typeparam name="TExit">The exit event type.</typeparam>
public sealed class ExitRuleBuilder<TExit>
{
    internal ExitRuleBuilder()
    {
    }

    internal Func<TExit, bool>? Filter { get; private set; }

    internal Func<TExit, decimal>? Value { get; private set; }

    internal bool IsConversion { get; private set; } = true;

    internal Func<TExit, Instant>? OccurredAtSelector { get; private set; }

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

    /// <summary>
    /// Reads when the exit happened from the event itself (the payment's instant), rather than when it was published.
    /// The exit is remembered for its key from that instant: a trigger that carries its own instant and happened before
    /// it (a late or redelivered abandonment) is refused.
    /// </summary>
    /// <param name="occurredAt">Selects the instant from the event.</param>
    public ExitRuleBuilder<TExit> OccurredAt(Func<TExit, Instant> occurredAt)
    {
        ArgumentNullException.ThrowIfNull(occurredAt);
        OccurredAtSelector = occurredAt;
        return this;
    }

    /// <summary>Reads when the exit happened from the event itself.</summary>
    /// <param name="occurredAt">Selects the instant from the event.</param>
    public ExitRuleBuilder<TExit> OccurredAt(Func<TExit, DateTimeOffset> occurredAt)
    {
        ArgumentNullException.ThrowIfNull(occurredAt);
        return OccurredAt(e => Instant.FromDateTimeOffset(occurredAt(e)));
    }
}
