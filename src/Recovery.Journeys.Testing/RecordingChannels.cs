using System.Collections.Concurrent;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Testing;

/// <summary>
/// Channels for every message kind that record what they are given. A channel of the test's own can stand in for
/// a kind (<see cref="Use{TMessage}"/>): it is called, and what it sends is recorded too.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class RecordingChannels : IChannelResolver
{
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<Type, object> _channels = new();
    private readonly ConcurrentDictionary<Type, object> _inner = new();
    private readonly List<SentMessage> _sent = [];
    private readonly Lock _gate = new();

    /// <summary>Creates the recorder.</summary>
    /// <param name="timeProvider">Stamps each send.</param>
    public RecordingChannels(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <summary>Every message sent so far, in send order.</summary>
    public IReadOnlyList<SentMessage> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>The messages of one kind sent so far, in send order.</summary>
    /// <typeparam name="TMessage">The message kind.</typeparam>
    public IReadOnlyList<SentMessage<TMessage>> SentOf<TMessage>()
        where TMessage : class
    {
        lock (_gate)
        {
            return [.. _sent.OfType<SentMessage<TMessage>>()];
        }
    }

    /// <summary>Sends <typeparamref name="TMessage"/> through <paramref name="channel"/> (one that fails, say), still recording what it sends.</summary>
    /// <typeparam name="TMessage">The message kind.</typeparam>
    /// <param name="channel">The channel to call.</param>
    /// <returns>This recorder.</returns>
    public RecordingChannels Use<TMessage>(IChannel<TMessage> channel)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(channel);
        _inner[typeof(TMessage)] = channel;
        return this;
    }

    /// <inheritdoc />
    public IChannel<TMessage> Resolve<TMessage>()
        where TMessage : class =>
        (IChannel<TMessage>)_channels.GetOrAdd(typeof(TMessage), _ => new RecordingChannel<TMessage>(this));

    private sealed class RecordingChannel<TMessage>(RecordingChannels owner) : IChannel<TMessage>
        where TMessage : class
    {
        public async ValueTask<DeliveryReceipt> SendAsync(Delivery<TMessage> delivery, CancellationToken cancellationToken)
        {
            var at = owner._timeProvider.GetUtcNow();
            var receipt = owner._inner.TryGetValue(typeof(TMessage), out var inner)
                ? await ((IChannel<TMessage>)inner).SendAsync(delivery, cancellationToken).ConfigureAwait(false)
                : DeliveryReceipt.Sent();
            if (receipt.IsSent)
            {
                lock (owner._gate)
                {
                    owner._sent.Add(new SentMessage<TMessage>
                    {
                        At = NodaTime.Instant.FromDateTimeOffset(at),
                        Message = delivery.Message,
                        Recipient = delivery.Recipient,
                        IdempotencyKey = delivery.IdempotencyKey,
                        JourneyName = delivery.JourneyName,
                        StepId = delivery.StepId,
                        InstanceId = delivery.InstanceId,
                        DueAt = delivery.DueAt,
                        CorrelationKey = delivery.CorrelationKey,
                    });
                }
            }

            return receipt;
        }
    }
}
