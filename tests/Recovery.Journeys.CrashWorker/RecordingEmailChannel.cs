using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.CrashWorker;

/// <summary>
/// Sends e-mails by appending them to the delivery log, durably, before returning: a send that returned is on record
/// even if the process is killed before the engine commits the step.
/// </summary>
/// <remarks>
/// With <paramref name="stallAfter"/>, every send after that many hangs once it is on record, as a channel whose
/// network went quiet would: the run cannot finish, whatever the machine's speed, and the test's SIGKILL lands with
/// steps sent and not yet committed, the window where a crash could lose a step or send it twice.
/// </remarks>
internal sealed class RecordingEmailChannel(IDeliveryLog log, string worker, TimeProvider timeProvider, int? stallAfter = null)
    : IChannel<EmailMessage>, IChannelResolver
{
    private static readonly Task Hung = new TaskCompletionSource().Task;

    private int _sends;

    public async ValueTask<DeliveryReceipt> SendAsync(Delivery<EmailMessage> delivery, CancellationToken cancellationToken)
    {
        var startedAt = Instant.FromDateTimeOffset(timeProvider.GetUtcNow()).ToUnixTimeTicks();
        await log.AppendAsync(new DeliveryRow(delivery.IdempotencyKey, delivery.InstanceId.Value, delivery.StepId, startedAt, worker), cancellationToken);
        if (Interlocked.Increment(ref _sends) > stallAfter)
        {
            await Hung.WaitAsync(cancellationToken);
        }

        return DeliveryReceipt.Sent();
    }

    public IChannel<TMessage>? Resolve<TMessage>()
        where TMessage : class => this as IChannel<TMessage>;
}
