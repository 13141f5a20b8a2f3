using System.Runtime.ExceptionServices;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime;

// The due-step loop for stores whose claims take a round trip each (IConcurrentClaimStore): several claimants at once.
internal sealed partial class DueSteps
{
    /// <summary>How many one-instance claims the loop keeps in flight: more than one only for an <see cref="IConcurrentClaimStore"/>.</summary>
    private int ClaimsInFlight => store is IConcurrentClaimStore concurrent
        ? Math.Min(concurrent.MaxClaimsInFlight, options.MaxConcurrentSteps)
        : 1;

    /// <summary>
    /// Runs every step due now with <see cref="ClaimsInFlight"/> claimants at once, each claiming one instance, running
    /// its step and committing it, then claiming the next, until it finds nothing left to claim.
    /// </summary>
    /// <remarks>
    /// As that many clients of the database would: a claimant's claim is in flight while the others' steps run, and
    /// each claim is handed to its step the moment it is granted. So a claim that waits for a row another step is
    /// committing (PostgreSQL follows an updated row to its new version and waits for whoever holds it, even with
    /// <c>SKIP LOCKED</c>) waits for a step that is running, never for a claim the loop has not started yet. A claimant
    /// that finds nothing to claim waits, while others run steps, for new work or the next wake-up; the call ends when
    /// every claimant found nothing to claim with none running a step. A step that throws stops every claimant after its
    /// current step, and the first failure is thrown once they all stopped.
    /// </remarks>
    private async ValueTask<int> RunDueClaimingConcurrentlyAsync(CancellationToken cancellationToken)
    {
        var running = new Task[ClaimsInFlight];
        var claimants = new Claimants(running.Length);
        for (var i = 0; i < running.Length; i++)
        {
            running[i] = ClaimAndRunAsync(claimants, cancellationToken);
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        if (claimants.Failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return claimants.Ran;
    }

    private async Task ClaimAndRunAsync(Claimants claimants, CancellationToken cancellationToken)
    {
        // Yields first, so that the claimants start together rather than each one's first claim after the previous one's.
        await Task.Yield();
        try
        {
            while (claimants.Failure is null && !cancellationToken.IsCancellationRequested)
            {
                var claims = await store.ClaimDueAsync(timeProvider.GetCurrentInstant(), 1, cancellationToken).ConfigureAwait(false);
                if (claims.Count > 0)
                {
                    await RunClaimAsync(claims[0], cancellationToken).ConfigureAwait(false);
                    claimants.AddRan();
                    continue;
                }

                // Nothing to claim: the last claimant to find nothing while none runs a step ends the call; the others
                // wait for new work, the next wake-up or that end, as the one-claim-at-a-time loop does while steps run,
                // so that a slow step holds up only its own claimant.
                if (claimants.Idle())
                {
                    return;
                }

                await WaitForWorkAsync(claimants.AllIdle, cancellationToken).ConfigureAwait(false);
                if (!claimants.Resume())
                {
                    return;
                }
            }
        }
        catch (Exception e)
        {
            claimants.Fail(e);
        }
    }

    /// <summary>What the claimants of one call share: the steps they ran, the first failure, and which are busy.</summary>
    private sealed class Claimants(int count)
    {
        private readonly TaskCompletionSource _allIdle = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();
        private int _busy = count;
        private int _ran;
        private Exception? _failure;

        public int Ran => Volatile.Read(ref _ran);

        public Exception? Failure => Volatile.Read(ref _failure);

        /// <summary>Completes once every claimant found nothing to claim with none running a step, or one failed.</summary>
        public Task AllIdle => _allIdle.Task;

        public void AddRan() => Interlocked.Increment(ref _ran);

        public void Fail(Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
            _allIdle.TrySetResult();
        }

        /// <summary>A claimant found nothing to claim; true when it was the last busy one, which ends the call.</summary>
        public bool Idle()
        {
            lock (_gate)
            {
                if (--_busy > 0)
                {
                    return false;
                }

                _allIdle.TrySetResult();
                return true;
            }
        }

        /// <summary>An idle claimant goes back to claiming; false once the call ended.</summary>
        public bool Resume()
        {
            lock (_gate)
            {
                if (_allIdle.Task.IsCompleted)
                {
                    return false;
                }

                _busy++;
                return true;
            }
        }
    }
}
