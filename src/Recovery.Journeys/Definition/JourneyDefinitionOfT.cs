using NodaTime;
using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Definition;

/// <summary>A journey definition with its typed selectors and computed values.</summary>
/// <typeparam name="TEvent">The trigger event type.</typeparam>
internal sealed class JourneyDefinition<TEvent> : JourneyDefinition
    where TEvent : class
{
    public override Type EventType => typeof(TEvent);

    /// <summary>The entry filter; <see langword="null"/> lets every event in.</summary>
    public Func<TEvent, bool>? Filter { get; init; }

    /// <summary>Selects the correlation key.</summary>
    public required Func<TEvent, string?> Correlate { get; init; }

    /// <summary>Takes the customer from the event (<c>ForCustomer</c>).</summary>
    public Func<TEvent, Customer?>? Customer { get; init; }

    /// <summary>Takes the customer id from the event, to look the customer up (<c>ForCustomerId</c>).</summary>
    public Func<TEvent, string?>? CustomerId { get; init; }

    /// <summary>Selects the trigger's own instant (<c>OccurredAt</c>), or <see langword="null"/>.</summary>
    public Func<TEvent, Instant>? OccurredAt { get; init; }

    /// <summary>The host's condition checked before every send (<c>SendOnlyWhile</c>), or <see langword="null"/>.</summary>
    public Func<StepContext<TEvent>, CancellationToken, ValueTask<bool>>? SendCondition { get; init; }

    /// <summary>The values computed at each send for templates (<c>values.name</c>), in declaration order.</summary>
    public IReadOnlyList<(string Name, Func<StepContext<TEvent>, object?> Compute)> Computed { get; init; } = [];

    internal override bool NamesCustomerById => Customer is null && CustomerId is not null;

    internal override bool Accepts(object @event) => Filter is null || Filter((TEvent)@event);

    internal override string? CorrelationKeyOf(object @event) => Correlate((TEvent)@event);

    internal override string? CustomerIdOf(object @event)
    {
        var typed = (TEvent)@event;
        return Customer is not null ? Customer(typed)?.Id : CustomerId?.Invoke(typed);
    }

    internal override Instant? OccurredAtOf(object @event) => OccurredAt?.Invoke((TEvent)@event);

    internal override TResult Accept<TResult>(IJourneyVisitor<TResult> visitor) => visitor.Visit(this);
}
