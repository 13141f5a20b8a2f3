using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using NodaTime;
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
internal sealed partial class DueSteps(
    JourneyCatalog catalog,
    IReadOnlyDictionary<JourneyDefinition, JourneyRunner> runners,
    IJourneyStore store,
    TimeProvider timeProvider,
    JourneyEngineOptions options,
    CommitEffects effects,
    WorkSignal work,
    ILogger logger)
{
    // While steps are in flight and nothing is claimable, the loop looks at the store again at least this often, for
    // work other processes made due (this process's own work raises the work signal).
    private static readonly TimeSpan BusyPollInterval = TimeSpan.FromSeconds(1);

    // Each registered version with its runner, found by one lookup a step.
    private readonly Dictionary<(string Name, int Version), (JourneyDefinition Journey, JourneyRunner Runner)> _journeys =
        catalog.All.ToDictionary(j => (j.Name, j.Version), j => (j, runners[j]));

    /// <summary>Claims and runs every step due now, in due order, until none is left and every step it started has finished.</summary>
    /// <remarks>
    /// A step that completes without waiting (an in-memory store, a channel that answers at once) runs inline, and the
    /// next one after it. A step that waits (a channel's or a store's I/O) goes on running while the loop claims and
    /// starts the next ones, up to <see cref="JourneyEngineOptions.MaxConcurrentSteps"/> at once; while steps are in
    /// flight and nothing else is due, the loop waits for the first of: a step finishing, the next step falling due, or
    /// new work in this process. So a slow or hung channel holds up its own step only, for at most
    /// <see cref="JourneyEngineOptions.SendTimeout"/>. Handing every step to the thread pool instead cost twice as much
    /// per step when nothing waits.
    /// </remarks>
    public async ValueTask<int> RunDueAsync(CancellationToken cancellationToken)
    {
        if (ClaimsInFlight > 1)
        {
            return await RunDueClaimingConcurrentlyAsync(cancellationToken).ConfigureAwait(false);
        }

        var ran = 0;
        StepsInFlight? running = null;
        Exception? failure = null;
        try
        {
            while (failure is null && !cancellationToken.IsCancellationRequested)
            {
                var free = options.MaxConcurrentSteps - (running?.Count ?? 0);
                var claims = free > 0
                    ? await store.ClaimDueAsync(timeProvider.GetCurrentInstant(), Math.Min(free, BatchSize), cancellationToken).ConfigureAwait(false)
                    : [];
                for (var i = 0; i < claims.Count; i++)
                {
                    if (failure is not null || cancellationToken.IsCancellationRequested)
                    {
                        // Not handed out: released here, so their instances stay due rather than held until a lease ends.
                        await claims[i].DisposeAsync().ConfigureAwait(false);
                        continue;
                    }

                    var step = RunClaimAsync(claims[i], cancellationToken);
                    if (step.IsCompletedSuccessfully || options.MaxConcurrentSteps == 1)
                    {
                        await step.ConfigureAwait(false);
                        ran++;
                    }
                    else
                    {
                        (running ??= new StepsInFlight()).Add(step.AsTask());
                    }
                }

                if (running is { Count: > 0 })
                {
                    if (claims.Count == 0 || running.Count >= options.MaxConcurrentSteps)
                    {
                        await WaitForProgressAsync(running, cancellationToken).ConfigureAwait(false);
                    }

                    ran += running.Reap(ref failure);
                }
                else if (claims.Count == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            // Steps still running finish first (their sends happened and are recorded); on shutdown they see the
            // cancellation and release their claims.
            while (running is { Count: > 0 })
            {
                using (var ended = running.ListenForEnd())
                {
                    await ended.Task.ConfigureAwait(false);
                }

                ran += running.Reap(ref failure);
            }
        }

        if (failure is not null)
        {
            // As awaiting several failed steps would: the first failure.
            ExceptionDispatchInfo.Throw(failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
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

    private int BatchSize => Math.Min(options.BatchSize, Math.Max(options.MaxConcurrentSteps, 16));

    /// <summary>
    /// Waits, while steps are in flight, for one of them to finish, for the next step to fall due (when a slot is free),
    /// or for new work in this process due before that.
    /// </summary>
    private async Task WaitForProgressAsync(StepsInFlight running, CancellationToken cancellationToken)
    {
        using var ended = running.ListenForEnd();
        if (running.Count >= options.MaxConcurrentSteps)
        {
            await ended.Task.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }

        await WaitForWorkAsync(ended.Task, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for the next wake-up (at most a poll interval away), for work this process makes due before it, or for
    /// <paramref name="alsoWakeOn"/> (a step in flight ending, the other claimants going idle).
    /// </summary>
    /// <remarks>
    /// The timer is rounded up to the next millisecond, as timers tick in whole milliseconds: rounded down, a step due
    /// in 0.4 ms would make a timer of zero and the loop spin until it is due. New work wakes the loop only when it is
    /// due before the timer (a trigger's first step is usually minutes away).
    /// </remarks>
    private async Task WaitForWorkAsync(Task alsoWakeOn, CancellationToken cancellationToken)
    {
        // Listening before the store is read: work made due meanwhile wakes the loop.
        using var newWork = work.Listen();
        var next = await store.GetNextWakeUpAsync(cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetCurrentInstant();
        var poll = now + Duration.FromTimeSpan(BusyPollInterval);
        var timer = next is { } due && due < poll ? due : poll;
        if (timer <= now)
        {
            return;
        }

        newWork.WakeOnlyBefore(timer);
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay((timer - now).ToTimeSpanCeiling(), timeProvider, stopWaiting.Token);
        await Task.WhenAny(alsoWakeOn, delay, newWork.Task).ConfigureAwait(false);
        await stopWaiting.CancelAsync().ConfigureAwait(false);
    }

    private async ValueTask RunClaimAsync(IJourneyClaim claim, CancellationToken cancellationToken)
    {
        await using var _ = claim.ConfigureAwait(false);
        var instance = claim.Instance;
        var now = timeProvider.GetCurrentInstant();
        var (journey, runner) = _journeys.GetValueOrDefault((instance.JourneyName, instance.JourneyVersion));
        if (journey is not null && instance.IsListening)
        {
            // The attribution window after the last step is over without the goal event.
            await CommitEndAsync(claim, InstanceLifecycle.Complete(journey, instance, now)).ConfigureAwait(false);
            return;
        }

        var step = instance.NextStepId is { } stepId ? journey?.FindStep(stepId) : null;
        if (journey is null || step is null)
        {
            var reason = journey is null
                ? $"journey '{instance.JourneyName}' v{instance.JourneyVersion} is not registered"
                : $"step '{instance.NextStepId}' does not exist in journey '{instance.JourneyName}' v{instance.JourneyVersion}";
            EngineLog.CannotRun(logger, instance.JourneyName, instance.Id, reason);
            await CommitEndAsync(claim, instance.IsActive ? InstanceLifecycle.Fail(journey, instance, now, reason) : InstanceLifecycle.AbandonExitActions(instance, now, reason)).ConfigureAwait(false);
            return;
        }

        using var activity = StepTelemetry.Start(effects.Metrics, journey, step, instance, now);
        StepResult result;
        try
        {
            result = await runner.RunStepAsync(claim, step, now, cancellationToken).ConfigureAwait(false);
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
            result = new StepResult([new(JourneyRecordKind.Failed, step.Channel, Attempt.Describe(e, options))]);
            EngineLog.StepThrew(logger, journey.Name, step.Id, instance.Id, e.GetType().FullName ?? e.GetType().Name, e.StackTrace ?? string.Empty);
        }

        StepTelemetry.Ran(effects.Metrics, activity, journey, step, result);
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

        // Indexed: enumerating the interface would allocate an enumerator for every step.
        for (var i = 0; i < result.Deliveries.Count; i++)
        {
            var delivery = result.Deliveries[i];
            EngineLog.StepRan(logger, journey.Name, step.Id, delivery.Channel, instance.Id, delivery.Kind);
        }

        await effects.AfterCommitAsync(transition.Instance, instance.IsActive, CancellationToken.None).ConfigureAwait(false);
    }

    private async ValueTask CommitEndAsync(IJourneyClaim claim, JourneyTransition ended)
    {
        await claim.CommitAsync(ended, CancellationToken.None).ConfigureAwait(false);
        await effects.AfterCommitAsync(ended.Instance, claim.Instance.IsActive, CancellationToken.None).ConfigureAwait(false);
    }
}
