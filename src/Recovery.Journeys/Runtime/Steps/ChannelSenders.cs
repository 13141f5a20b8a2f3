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
    private readonly Dictionary<Type, Found> _senders = [];

    // The kind last asked for with its sender (most engines send one or two kinds): found without hashing its type. A
    // reference, read and written whole, so threads sharing the engine each see one found kind or another.
    private Found? _last;

    public ChannelSenders(IChannelResolver resolver, IEnumerable<MessagePart> parts)
    {
        var lookup = new Lookup(resolver);
        foreach (var part in parts)
        {
            if (!_senders.ContainsKey(part.MessageType))
            {
                _senders[part.MessageType] = new Found(part.MessageType, part.Accept(lookup));
            }
        }
    }

    /// <summary>The sender of a message kind, or <see langword="null"/> when no channel is registered for it.</summary>
    public MessageSender? For(Type messageType)
    {
        if (_last is { } last && ReferenceEquals(last.MessageType, messageType))
        {
            return last.Sender;
        }

        if (!_senders.TryGetValue(messageType, out var found))
        {
            return null;
        }

        _last = found;
        return found.Sender;
    }

    private sealed record Found(Type MessageType, MessageSender? Sender);

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
