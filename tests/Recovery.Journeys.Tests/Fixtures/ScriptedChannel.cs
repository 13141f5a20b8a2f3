using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Tests.Fixtures;

/// <summary>A channel whose behaviour a test sets per call: succeed, skip, throw, or wait for the test.</summary>
public sealed class ScriptedChannel<TMessage> : IChannel<TMessage>
    where TMessage : class
{
    private readonly Func<Delivery<TMessage>, CancellationToken, ValueTask<DeliveryReceipt>> _send;

    public ScriptedChannel(Func<Delivery<TMessage>, CancellationToken, ValueTask<DeliveryReceipt>> send) => _send = send;

    public List<Delivery<TMessage>> Attempts { get; } = [];

    public static ScriptedChannel<TMessage> Throwing(string message) =>
        new((_, _) => throw new InvalidOperationException(message));

    public async ValueTask<DeliveryReceipt> SendAsync(Delivery<TMessage> delivery, CancellationToken cancellationToken)
    {
        lock (Attempts)
        {
            Attempts.Add(delivery);
        }

        return await _send(delivery, cancellationToken);
    }
}
