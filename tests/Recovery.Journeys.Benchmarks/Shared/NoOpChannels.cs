using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Benchmarks.Shared;

/// <summary>Channels of every message kind that send nothing and count the sends.</summary>
public sealed class NoOpChannels : IChannelResolver
{
    private long _sent;

    public long Sent => Interlocked.Read(ref _sent);

    public IChannel<TMessage> Resolve<TMessage>()
        where TMessage : class => new Channel<TMessage>(this);

    private sealed class Channel<TMessage>(NoOpChannels owner) : IChannel<TMessage>
        where TMessage : class
    {
        public ValueTask<DeliveryReceipt> SendAsync(Delivery<TMessage> delivery, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref owner._sent);
            return ValueTask.FromResult(DeliveryReceipt.Sent());
        }
    }
}
