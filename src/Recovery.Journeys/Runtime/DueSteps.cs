using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime.Steps;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// The one execution path for every store: claim a due instance, run its step, commit the outcome and the next
/// wake-up atomically (which releases the claim), then tell the scheduler.
/// </summary>
internal sealed class DueSteps(
    JourneyCatalog catalog,
    IReadOnlyDictionary<JourneyDefinition, JourneyRunner> runners,
    IJourneyStore store,
    TimeProvider timeProvider,
    JourneyEngineOptions options,
    CommitEffects effects,
    ILogger logger)
{
    /// <summary>Claims and runs every step due now, in due order, until none is left.</summary>
    /// <remarks>
    /// A step that completes without waiting (an in-memory store, a channel that answers at once) runs inline, and the
    /// next one after it; a step that waits (a channel's or a store's I/O) goes on running while the next ones start,
    /// up to <see cref="JourneyEngineOptions.MaxConcurrentSteps"/> at once, so a slow channel holds up one step, not
    /// the others. Handing every step to the thread pool instead cost twice as much per step when nothing waits.
    /// </remarks>
    public async ValueTask<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var ran = 0;
        List<Task>? running = null;
        List<Exception>? failures = null;
        try
        {
            await foreach (var claim in ClaimDueAsync(cancellationToken).ConfigureAwait(false))
            {
                var step = RunClaimAsync(claim, cancellationToken);
                if (step.IsCompletedSuccessfully || options.MaxConcurrentSteps == 1)
                {
                    await step.ConfigureAwait(false);
                    ran++;
                    continue;
                }

                running ??= new List<Task>(options.MaxConcurrentSteps);
                running.Add(step.AsTask());
                if (running.Count < options.MaxConcurrentSteps)
                {
                    continue;
                }

                var done = await Task.WhenAny(running).ConfigureAwait(false);
                running.Remove(done);
                if (done.IsCompletedSuccessfully)
                {
                    ran++;
                }
                else
                {
                    // Stop claiming; the steps still running finish first (their sends happened and are recorded).
                    (failures ??= []).Add(done.Exception?.InnerException ?? new OperationCanceledException(cancellationToken));
                    break;
                }
            }
        }
        finally
        {
            foreach (var step in running ?? [])
            {
                try
                {
                    await step.ConfigureAwait(false);
                    ran++;
                }
                catch (Exception e)
                {
                    (failures ??= []).Add(e);
                }
            }
        }

        if (failures is not null)
        {
            // As awaiting several failed steps would: the first failure.
            ExceptionDispatchInfo.Throw(failures[0]);
        }

        return ran;
    }

    /// <summary>Runs one instance's step if it is due now and not held by another worker.</summary>
    public async ValueTask<bool> RunInstanceAsync(JourneyInstanceId instanceId, CancellationToken cancellationToken)
    {
        var claim = await store.TryClaimAsync(instanceId, timeProvider.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            return false;
        }

        await RunClaimAsync(claim, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Claims due instances batch by batch until none is left.</summary>
    /// <remarks>
    /// When a step throws or the host stops, the enumeration ends early and the claims of the batch not yet handed
    /// out are released here, so their instances stay due (a durable store would otherwise hold them until its
    /// lease ends). A claim handed out is released by the step that runs it.
    /// </remarks>
    private async IAsyncEnumerable<IJourneyClaim> ClaimDueAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batchSize = Math.Min(options.BatchSize, Math.Max(options.MaxConcurrentSteps, 16));
        while (!cancellationToken.IsCancellationRequested)
        {
            var claims = await store.ClaimDueAsync(timeProvider.GetCurrentInstant(), batchSize, cancellationToken).ConfigureAwait(false);
            if (claims.Count == 0)
            {
                yield break;
            }

            var handedOut = 0;
            try
            {
                foreach (var claim in claims)
                {
                    handedOut++;
                    yield return claim;
                }
            }
            finally
            {
                for (var i = handedOut; i < claims.Count; i++)
                {
                    await claims[i].DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private async ValueTask RunClaimAsync(IJourneyClaim claim, CancellationToken cancellationToken)
    {
        await using var _ = claim.ConfigureAwait(false);
        var instance = claim.Instance;
        var now = timeProvider.GetCurrentInstant();
        var journey = catalog.Find(instance.JourneyName, instance.JourneyVersion);
        if (journey is not null && instance.IsListening)
        {
            // The attribution window after the last step is over without the goal event.
            await CommitEndAsync(claim, InstanceLifecycle.Complete(instance, now)).ConfigureAwait(false);
            return;
        }

        var step = instance.NextStepId is { } stepId ? journey?.FindStep(stepId) : null;
        if (journey is null || step is null)
        {
            var reason = journey is null
                ? $"journey '{instance.JourneyName}' v{instance.JourneyVersion} is not registered"
                : $"step '{instance.NextStepId}' does not exist in journey '{instance.JourneyName}' v{instance.JourneyVersion}";
            EngineLog.CannotRun(logger, instance.JourneyName, instance.Id, reason);
            await CommitEndAsync(claim, InstanceLifecycle.Fail(instance, now, reason)).ConfigureAwait(false);
            return;
        }

        using var activity = StepTelemetry.Start(journey, step, instance, now);
        StepResult result;
        try
        {
            result = await runners[journey].RunStepAsync(instance, step, now, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the claim is released unchanged and the step runs again, with the same idempotency key.
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "canceled");
            throw;
        }
        catch (Exception e)
        {
            // Steps catch the host's exceptions themselves; this is a bug of the library's, recorded rather than lost.
            // The log gets the exception's type and stack trace, not its message: a message may quote customer data.
            result = new StepResult([new(JourneyRecordKind.Failed, step.Channel, $"{e.GetType().Name}: {e.Message}")]);
            EngineLog.StepThrew(logger, journey.Name, step.Id, instance.Id, e.GetType().FullName ?? e.GetType().Name, e.StackTrace ?? string.Empty);
        }

        StepTelemetry.Ran(activity, journey, step, result);
        var transition = InstanceLifecycle.AfterStep(journey, instance, step, result, now);

        // The send already happened: record it even if the host is stopping, so it is not sent again.
        try
        {
            await claim.CommitAsync(transition, CancellationToken.None).ConfigureAwait(false);
        }
        catch (JourneyClaimLostException e)
        {
            // Another worker took the instance and runs the step again with the same idempotency key.
            EngineLog.ClaimLost(logger, e, journey.Name, step.Id, instance.Id);
            return;
        }

        foreach (var delivery in result.Deliveries)
        {
            EngineLog.StepRan(logger, journey.Name, step.Id, delivery.Channel, instance.Id, delivery.Kind);
        }

        await effects.AfterCommitAsync(transition.Instance, CancellationToken.None).ConfigureAwait(false);
    }

    private async ValueTask CommitEndAsync(IJourneyClaim claim, JourneyTransition ended)
    {
        await claim.CommitAsync(ended, CancellationToken.None).ConfigureAwait(false);
        await effects.AfterCommitAsync(ended.Instance, CancellationToken.None).ConfigureAwait(false);
    }
}
