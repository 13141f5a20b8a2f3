using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>
/// The host's channel for each message kind the journeys send, found once when the engine starts. The message type
/// is only known at run time; a visitor (<see cref="IMessageTypeVisitor{TResult}"/>) turns it into a type argument,
/// so no reflection is needed and the lookup is trimming-safe.
/// </summary>
internal sealed class ChannelSenders
{
    private readonly Dictionary<Type, MessageSender?> _senders = [];

    public ChannelSenders(IChannelResolver resolver, IEnumerable<MessagePart> parts)
    {
        var lookup = new Lookup(resolver);
        foreach (var part in parts)
        {
            if (!_senders.ContainsKey(part.MessageType))
            {
                _senders[part.MessageType] = part.Accept(lookup);
            }
        }
    }

    /// <summary>The sender of a message kind, or <see langword="null"/> when no channel is registered for it.</summary>
    public MessageSender? For(Type messageType) => _senders.GetValueOrDefault(messageType);

    private sealed class Lookup(IChannelResolver resolver) : IMessageTypeVisitor<MessageSender?>
    {
        public MessageSender? Visit<TMessage>()
            where TMessage : class => resolver.Resolve<TMessage>() is { } channel ? new MessageSender<TMessage>(channel) : null;
    }
}

/// <summary>Hands one composed message to its channel, typed.</summary>
internal abstract class MessageSender
{
    public abstract ValueTask<DeliveryReceipt> SendAsync(
        object message,
        Customer recipient,
        string idempotencyKey,
        string journeyName,
        string stepId,
        JourneyInstanceId instanceId,
        string correlationKey,
        Instant dueAt,
        CancellationToken cancellationToken);
}

internal sealed class MessageSender<TMessage>(IChannel<TMessage> channel) : MessageSender
    where TMessage : class
{
    public override ValueTask<DeliveryReceipt> SendAsync(
        object message,
        Customer recipient,
        string idempotencyKey,
        string journeyName,
        string stepId,
        JourneyInstanceId instanceId,
        string correlationKey,
        Instant dueAt,
        CancellationToken cancellationToken) =>
        channel.SendAsync(new Delivery<TMessage>((TMessage)message, recipient, idempotencyKey, journeyName, stepId, instanceId, dueAt) { CorrelationKey = correlationKey }, cancellationToken);
}
