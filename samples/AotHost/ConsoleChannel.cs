using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;

namespace AotHost;

/// <summary>A push channel that prints each message and lets the host wait for the first one.</summary>
internal sealed class ConsoleChannel : IChannel<PushMessage>
{
    private readonly TaskCompletionSource<Delivery<PushMessage>> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the first message sent.</summary>
    public Task<Delivery<PushMessage>> FirstSent => _first.Task;

    public ValueTask<DeliveryReceipt> SendAsync(Delivery<PushMessage> delivery, CancellationToken cancellationToken)
    {
        Console.WriteLine($"push to {delivery.Recipient.Id} ({delivery.StepId}): {delivery.Message.Body}");
        _first.TrySetResult(delivery);
        return ValueTask.FromResult(DeliveryReceipt.Sent());
    }
}
