using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Ports;

/// <summary>A rendered message on its way to one customer, with what a channel needs to deliver it once.</summary>
/// <typeparam name="TMessage">The message kind.</typeparam>
/// <param name="Message">The rendered message.</param>
/// <param name="Recipient">The customer to deliver to.</param>
/// <param name="IdempotencyKey">
/// Unique to (journey instance, step) and identical on every attempt of that step, across retries and restarts:
/// <c>{instance id}:{step id}</c>.
/// </param>
/// <param name="JourneyName">The journey that sends the message.</param>
/// <param name="StepId">The step that sends the message.</param>
/// <param name="InstanceId">The journey instance that sends the message.</param>
/// <param name="DueAt">The instant the step was due; the send happens at or after it.</param>
public sealed record Delivery<TMessage>(
    TMessage Message,
    Customer Recipient,
    string IdempotencyKey,
    string JourneyName,
    string StepId,
    JourneyInstanceId InstanceId,
    Instant DueAt)
    where TMessage : class
{
    /// <summary>The journey instance's correlation key (the order or cart id), so a channel can name what it reminds about without a lookup.</summary>
    public string CorrelationKey { get; init; } = string.Empty;
}
