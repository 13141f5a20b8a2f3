using Recovery.Journeys.Engine;

namespace Recovery.Journeys.Steps;

/// <summary>Runs a host action (add the customer to a CRM list, call a coupon service).</summary>
internal sealed class ActionStep<TEvent>(
    string id,
    StepTiming timing,
    Func<StepContext<TEvent>, CancellationToken, ValueTask> action)
    : JourneyStep<TEvent>(id, "action", timing)
{
    public override bool NeedsCustomer => false;

    public override async ValueTask<StepOutcome> RunAsync(StepContext<TEvent> context, StepServices services, CancellationToken cancellationToken)
    {
        await action(context, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Sent;
    }
}
