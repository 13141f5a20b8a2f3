using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Benchmarks.Shared;

/// <summary>Channels of every message kind that send nothing and count the sends.</summary>
public sealed class NoOpChannels : IChannelResolver
{
    private long _sent;
    private long _target = long.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Completes once <see cref="Sent"/> reaches <paramref name="count"/> (one target at a time).</summary>
    public Task WhenSent(long count)
    {
        Volatile.Write(ref _reached, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Exchange(ref _target, count);
        if (Sent >= count)
        {
            Volatile.Read(ref _reached).TrySetResult();
        }

        return Volatile.Read(ref _reached).Task;
    }

    public IChannel<TMessage> Resolve<TMessage>()
        where TMessage : class => new Channel<TMessage>(this);

    private sealed class Channel<TMessage>(NoOpChannels owner) : IChannel<TMessage>
        where TMessage : class
    {
        public ValueTask<DeliveryReceipt> SendAsync(Delivery<TMessage> delivery, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref owner._sent) == Interlocked.Read(ref owner._target))
            {
                Volatile.Read(ref owner._reached).TrySetResult();
            }

            return ValueTask.FromResult(DeliveryReceipt.Sent());
        }
    }
}
