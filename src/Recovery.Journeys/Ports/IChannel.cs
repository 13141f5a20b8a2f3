namespace Recovery.Journeys.Ports;

/// <summary>
/// Sends one kind of message (push, e-mail, SMS, or a host-defined kind). The host implements one per message kind
/// and registers it with <c>AddChannel&lt;TMessage, TChannel&gt;()</c>.
/// </summary>
/// <remarks>
/// <para>
/// The engine calls a channel at least once per step and carries the same <see cref="Delivery{TMessage}.IdempotencyKey"/>
/// on every attempt, including after a crash between the send and its record. A channel that forwards the key to its
/// provider (or remembers it) delivers exactly once.
/// </para>
/// <para>
/// Throw to report a failure: the engine records it as the step's failure with the exception's message. Return
/// <see cref="DeliveryReceipt.Skipped(string)"/> when the message cannot be delivered for a known reason (no device,
/// unsubscribed). Implementations are called concurrently and must be thread-safe.
/// </para>
/// </remarks>
/// <typeparam name="TMessage">The rendered message this channel sends.</typeparam>
public interface IChannel<TMessage>
    where TMessage : class
{
    /// <summary>Sends a rendered message to its recipient.</summary>
    /// <param name="delivery">The message, its recipient and its idempotency key.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts down; the step is then retried later with the same key.</param>
    /// <returns>What became of the message.</returns>
    ValueTask<DeliveryReceipt> SendAsync(Delivery<TMessage> delivery, CancellationToken cancellationToken);
}
