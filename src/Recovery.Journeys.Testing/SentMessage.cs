using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Testing;

/// <summary>A message a recording channel received, with the fake clock's reading at the send.</summary>
public abstract record SentMessage
{
    private protected SentMessage()
    {
    }

    /// <summary>When the channel was called.</summary>
    public required Instant At { get; init; }

    /// <summary>The recipient.</summary>
    public required Customer Recipient { get; init; }

    /// <summary>The delivery's idempotency key.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The journey that sent it.</summary>
    public required string JourneyName { get; init; }

    /// <summary>The step that sent it.</summary>
    public required string StepId { get; init; }

    /// <summary>The instance that sent it.</summary>
    public required JourneyInstanceId InstanceId { get; init; }

    /// <summary>The instant the step was due.</summary>
    public required Instant DueAt { get; init; }

    /// <summary>The instance's correlation key (the order or cart id).</summary>
    public string CorrelationKey { get; init; } = string.Empty;

    /// <summary>The rendered message.</summary>
    public abstract object Body { get; }
}

/// <summary>A message of a known kind a recording channel received.</summary>
/// <typeparam name="TMessage">The message kind.</typeparam>
public sealed record SentMessage<TMessage> : SentMessage
    where TMessage : class
{
    /// <summary>The rendered message.</summary>
    public required TMessage Message { get; init; }

    /// <inheritdoc />
    public override object Body => Message;
}
