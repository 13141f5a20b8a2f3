using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>Runs a host action (add the customer to a CRM list, call a coupon service), retried like a channel.</summary>
internal static class ActionStepExecutor
{
    public static async ValueTask<StepResult> RunAsync<TEvent>(ActionStep<TEvent> step, StepRun<TEvent> run, CancellationToken cancellationToken)
    {
        var result = await Attempt.RunAsync(
            (step.Action, run.Context),
            static async (s, token) =>
            {
                await s.Action(s.Context, token).ConfigureAwait(false);
                return AttemptResult.Sent;
            },
            run.Services,
            cancellationToken).ConfigureAwait(false);

        return result.Kind == AttemptKind.Transient && run.CanRetry(run.Attempt)
            ? run.RetryLater([run.Retrying(ActionStep<TEvent>.Channel, run.Attempt, result.Detail)], run.Attempt, progress: null)
            : new StepResult([run.Final(ActionStep<TEvent>.Channel, run.Attempt, result)]);
    }
}
