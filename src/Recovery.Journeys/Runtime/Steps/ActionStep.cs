using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>Runs a host action (add the customer to a CRM list, call a coupon service), retried like a channel.</summary>
internal sealed class ActionStep<TEvent>(
    string id,
    StepTiming timing,
    Func<StepContext<TEvent>, CancellationToken, ValueTask> action)
    : JourneyStep<TEvent>(id, ["action"], ChannelMode.Single, timing)
{
    public override async ValueTask<StepResult> RunAsync(StepRun<TEvent> run, CancellationToken cancellationToken)
    {
        var result = await Attempt.RunAsync(
            (Action: action, run.Context),
            static async (s, token) =>
            {
                await s.Action(s.Context, token).ConfigureAwait(false);
                return AttemptResult.Sent;
            },
            run.Services,
            cancellationToken).ConfigureAwait(false);

        return result.Kind == AttemptKind.Transient && run.CanRetry(run.Attempt)
            ? run.RetryLater([run.Retrying("action", run.Attempt, result.Detail)], run.Attempt, progress: null)
            : new StepResult([run.Final("action", run.Attempt, result)]);
    }
}
