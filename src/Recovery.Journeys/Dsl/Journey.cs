using System.Runtime.CompilerServices;
using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Dsl;

/// <summary>Where every journey starts: <c>Journey.When&lt;CheckoutAbandoned&gt;(e =&gt; e.SecondsOnPaymentPage &gt; 30)</c>.</summary>
public static class Journey
{
    /// <summary>Starts describing a journey that an event of type <typeparamref name="TEvent"/> triggers.</summary>
    /// <typeparam name="TEvent">The host's event type; any class. Durable stores keep it as JSON, so it must round-trip through System.Text.Json.</typeparam>
    /// <param name="filter">Only events that pass it start the journey; <see langword="null"/> lets every event in.</param>
    /// <param name="filterText">Filled in by the compiler with the filter's source text, shown by <see cref="JourneyDefinition.Describe"/>.</param>
    /// <returns>A builder, used once.</returns>
    public static JourneyBuilder<TEvent> When<TEvent>(
        Func<TEvent, bool>? filter = null,
        [CallerArgumentExpression(nameof(filter))] string? filterText = null)
        where TEvent : class =>
        new(filter, filter is null ? null : filterText);
}
