using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>One channel of a message step: what it needs to reach the customer, how it composes its message, and the send.</summary>
internal abstract class MessageMember<TEvent>(string channel, Type messageType)
{
    public string Channel { get; } = channel;

    public Type MessageType { get; } = messageType;

    public ContactKinds Requires { get; } = RequiresContactAttribute.Of(messageType);

    public abstract object Compose(StepContext<TEvent> context, StepServices services);

    public abstract ValueTask<DeliveryReceipt> SendAsync(object message, StepContext<TEvent> context, string idempotencyKey, StepServices services, CancellationToken cancellationToken);
}

internal sealed class MessageMember<TEvent, TMessage>(Func<StepContext<TEvent>, StepServices, TMessage> compose)
    : MessageMember<TEvent>(ChannelNameAttribute.Of(typeof(TMessage)), typeof(TMessage))
    where TMessage : class
{
    public override object Compose(StepContext<TEvent> context, StepServices services) => compose(context, services);

    public override ValueTask<DeliveryReceipt> SendAsync(object message, StepContext<TEvent> context, string idempotencyKey, StepServices services, CancellationToken cancellationToken)
    {
        var channel = services.Host.Channels.Resolve<TMessage>()
            ?? throw new PermanentDeliveryException($"no IChannel<{typeof(TMessage).Name}> is registered");
        var delivery = new Delivery<TMessage>((TMessage)message, context.Customer!, idempotencyKey, context.JourneyName, context.StepId, context.InstanceId, context.DueAt);
        return channel.SendAsync(delivery, cancellationToken);
    }
}
