using System.Collections.Concurrent;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;

namespace ShopWeb.Channels;

/// <summary>
/// Stands in for the e-mail and SMS providers: keeps what was sent (shown at <c>/outbox</c>) and writes a line to the log.
/// A provider refuses numbers ending in 00, so the dashboard's failures page has something to show.
/// </summary>
public sealed class ShopOutbox<TMessage>(ILogger<ShopOutbox<TMessage>> logger) : IChannel<TMessage>
    where TMessage : class
{
    private readonly ConcurrentQueue<Delivery<TMessage>> _sent = new();

    /// <summary>The messages sent since the app started.</summary>
    public IReadOnlyCollection<Delivery<TMessage>> Sent => _sent;

    /// <inheritdoc />
    public ValueTask<DeliveryReceipt> SendAsync(Delivery<TMessage> delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (typeof(TMessage) == typeof(SmsMessage) && delivery.Recipient.Phone?.EndsWith("00", StringComparison.Ordinal) == true)
        {
            throw new PermanentDeliveryException("The SMS provider refused the number (error 21614: not a mobile number).");
        }

        _sent.Enqueue(delivery);
        logger.LogInformation("Sent {Step} of {Journey} to customer {Customer}", delivery.StepId, delivery.JourneyName, delivery.Recipient.Id);
        return ValueTask.FromResult(DeliveryReceipt.Sent(delivery.IdempotencyKey));
    }
}
