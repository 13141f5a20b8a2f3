using Recovery.Journeys.Channels;
using Recovery.Journeys.Engine;

namespace Recovery.Journeys.Steps;

/// <summary>Renders a message for the customer and hands it to the channel of its kind.</summary>
internal sealed class MessageStep<TEvent, TMessage>(
    string id,
    StepTiming timing,
    Func<StepContext<TEvent>, TMessage> compose)
    : JourneyStep<TEvent>(id, ChannelNameAttribute.Of(typeof(TMessage)), timing)
    where TMessage : class
{
    public override bool NeedsCustomer => true;

    /// <summary>Renders the message without sending it (previews and tests).</summary>
    public TMessage Compose(StepContext<TEvent> context) => compose(context);

    public override async ValueTask<StepOutcome> RunAsync(StepContext<TEvent> context, StepServices services, CancellationToken cancellationToken)
    {
        if (context.Customer is not { } recipient)
        {
            return StepOutcome.Skipped("customer not found");
        }

        TMessage message;
        try
        {
            message = compose(context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return StepOutcome.Failed($"rendering failed: {e.GetType().Name}: {e.Message}");
        }

        var channel = services.Channels.Resolve<TMessage>();
        if (channel is null)
        {
            return StepOutcome.Failed($"no IChannel<{typeof(TMessage).Name}> is registered");
        }

        var delivery = new Delivery<TMessage>(
            message, recipient, context.IdempotencyKey, context.JourneyName, Id, context.InstanceId, context.DueAt);
        var receipt = await channel.SendAsync(delivery, cancellationToken).ConfigureAwait(false);
        return receipt.IsSent ? StepOutcome.Sent : StepOutcome.Skipped(receipt.Reason!);
    }
}
