using NodaTime;
using Recovery.Journeys.Channels;

namespace Recovery.Journeys.CrashWorker;

/// <summary>
/// Sends e-mails by appending them to the delivery log, durably, before returning: a send that returned is on record
/// even if the process is killed before the engine commits the step.
/// </summary>
internal sealed class RecordingEmailChannel(IDeliveryLog log, string worker, TimeProvider timeProvider) : IChannel<EmailMessage>, IChannelResolver
{
    public async ValueTask<DeliveryReceipt> SendAsync(Delivery<EmailMessage> delivery, CancellationToken cancellationToken)
    {
        var startedAt = Instant.FromDateTimeOffset(timeProvider.GetUtcNow()).ToUnixTimeTicks();
        await log.AppendAsync(new DeliveryRow(delivery.IdempotencyKey, delivery.InstanceId.Value, delivery.StepId, startedAt, worker), cancellationToken);
        return DeliveryReceipt.Sent();
    }

    public IChannel<TMessage>? Resolve<TMessage>()
        where TMessage : class => this as IChannel<TMessage>;
}
