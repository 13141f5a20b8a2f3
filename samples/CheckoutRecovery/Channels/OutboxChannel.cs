using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;

namespace CheckoutRecovery.Channels;

/// <summary>A message an <see cref="OutboxChannel{TMessage}"/> accepted, with the clock's reading at the send.</summary>
/// <typeparam name="TMessage">The message kind.</typeparam>
/// <param name="At">When the channel was called.</param>
/// <param name="Delivery">The rendered message, its recipient, step and idempotency key.</param>
public sealed record OutboxEntry<TMessage>(Instant At, Delivery<TMessage> Delivery)
    where TMessage : class;

/// <summary>
/// A channel that keeps what it is given instead of calling a provider: where a real app would call its push
/// service or e-mail API. It delivers each idempotency key once, as a provider that honours the key would, and can
/// echo each new message (the hosted demo prints them).
/// </summary>
/// <remarks>Thread-safe: the engine may call a channel from several steps at once.</remarks>
/// <typeparam name="TMessage">The message kind: <see cref="PushMessage"/>, <see cref="EmailMessage"/>, ...</typeparam>
public sealed class OutboxChannel<TMessage> : IChannel<TMessage>
    where TMessage : class
{
    private readonly TimeProvider _timeProvider;
    private readonly Action<OutboxEntry<TMessage>>? _onSent;
    private readonly Lock _gate = new();
    private readonly List<OutboxEntry<TMessage>> _sent = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    /// <summary>Creates the channel.</summary>
    /// <param name="timeProvider">Stamps each send; the same clock as the engine's.</param>
    /// <param name="onSent">Called once per new message, after it is kept; nothing by default.</param>
    public OutboxChannel(TimeProvider timeProvider, Action<OutboxEntry<TMessage>>? onSent = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _onSent = onSent;
    }

    /// <summary>Every message delivered so far, in send order.</summary>
    public IReadOnlyList<OutboxEntry<TMessage>> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<DeliveryReceipt> SendAsync(Delivery<TMessage> delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        // A provider cannot deliver without the address; say so rather than fail.
        if (typeof(TMessage) == typeof(EmailMessage) && delivery.Recipient.Email is null)
        {
            return ValueTask.FromResult(DeliveryReceipt.Skipped("the customer has no e-mail address"));
        }

        var entry = new OutboxEntry<TMessage>(Instant.FromDateTimeOffset(_timeProvider.GetUtcNow()), delivery);
        lock (_gate)
        {
            // A retry of a step carries the same key: report it sent again, deliver nothing new.
            if (!_keys.Add(delivery.IdempotencyKey))
            {
                return ValueTask.FromResult(DeliveryReceipt.Sent(delivery.IdempotencyKey));
            }

            _sent.Add(entry);
        }

        _onSent?.Invoke(entry);
        return ValueTask.FromResult(DeliveryReceipt.Sent(delivery.IdempotencyKey));
    }
}
