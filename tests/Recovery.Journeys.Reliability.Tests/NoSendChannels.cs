using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Reliability.Tests;

/// <summary>The channels of the test process's own engine, which publishes events and never runs a step: the workers send.</summary>
internal sealed class NoSendChannels : IChannelResolver, IChannel<EmailMessage>
{
    public IChannel<TMessage>? Resolve<TMessage>()
        where TMessage : class => this as IChannel<TMessage>;

    public ValueTask<DeliveryReceipt> SendAsync(Delivery<EmailMessage> delivery, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The test process publishes events only; its engine must never run a step.");
}
