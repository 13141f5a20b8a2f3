using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.CrashWorker;

/// <summary>
/// The worker's store, with the claim and commit kill points of <see cref="KillPoint"/>: every claim it grants, and
/// every commit of one, passes there first. Everything else goes straight to the real store, and the engine claims as
/// it would from the real store (several claims in flight at once for PostgreSQL).
/// </summary>
internal sealed class KillingJourneyStore(IJourneyStore store, KillPoint kill) : IJourneyStore, IConcurrentClaimStore
{
    public int MaxClaimsInFlight => store is IConcurrentClaimStore concurrent ? concurrent.MaxClaimsInFlight : 1;

    public async ValueTask<IReadOnlyList<IJourneyClaim>> ClaimDueAsync(Instant now, int maxCount, CancellationToken cancellationToken)
    {
        var claims = await store.ClaimDueAsync(now, maxCount, cancellationToken);
        foreach (var claim in claims)
        {
            kill.Pass("claim", KeyOf(claim.Instance));
        }

        return [.. claims.Select(c => new KillingClaim(c, kill))];
    }

    public async ValueTask<IJourneyClaim?> TryClaimAsync(JourneyInstanceId id, Instant now, CancellationToken cancellationToken)
    {
        var claim = await store.TryClaimAsync(id, now, cancellationToken);
        if (claim is null)
        {
            return null;
        }

        kill.Pass("claim", KeyOf(claim.Instance));
        return new KillingClaim(claim, kill);
    }

    public ValueTask<StartOutcome> TryStartAsync(JourneyStart start, CancellationToken cancellationToken) => store.TryStartAsync(start, cancellationToken);

    public ValueTask<JourneyTransition?> ExitAsync(RememberedExit exit, Func<JourneyInstance, JourneyTransition?> end, CancellationToken cancellationToken) =>
        store.ExitAsync(exit, end, cancellationToken);

    public ValueTask SetPauseAsync(JourneyPause pause, CancellationToken cancellationToken) => store.SetPauseAsync(pause, cancellationToken);

    public ValueTask<PauseEnd?> ClearPauseAsync(string journeyName, Instant resumedAt, CancellationToken cancellationToken) => store.ClearPauseAsync(journeyName, resumedAt, cancellationToken);

    public ValueTask<IReadOnlyList<JourneyPause>> GetPausesAsync(CancellationToken cancellationToken) => store.GetPausesAsync(cancellationToken);

    public ValueTask<JourneyTransition?> UpdateActiveAsync(string journeyName, string correlationKey, Func<JourneyInstance, JourneyTransition?> update, CancellationToken cancellationToken) =>
        store.UpdateActiveAsync(journeyName, correlationKey, update, cancellationToken);

    public ValueTask<Instant?> GetNextWakeUpAsync(CancellationToken cancellationToken) => store.GetNextWakeUpAsync(cancellationToken);

    public ValueTask<JourneyInstance?> GetAsync(JourneyInstanceId id, CancellationToken cancellationToken) => store.GetAsync(id, cancellationToken);

    public ValueTask<IReadOnlyList<JourneyInstance>> FindAsync(JourneyInstanceQuery query, CancellationToken cancellationToken) => store.FindAsync(query, cancellationToken);

    public ValueTask<IReadOnlyList<JourneyRecord>> GetTimelineAsync(JourneyInstanceId id, CancellationToken cancellationToken) => store.GetTimelineAsync(id, cancellationToken);

    public ValueTask<IReadOnlyList<JourneyRecord>> GetCustomerRecordsAsync(string customerId, Instant since, CancellationToken cancellationToken) =>
        store.GetCustomerRecordsAsync(customerId, since, cancellationToken);

    public ValueTask<int> EraseCustomerAsync(string customerId, CancellationToken cancellationToken) => store.EraseCustomerAsync(customerId, cancellationToken);

    public ValueTask<int> PurgeEndedAsync(Instant endedBefore, int maxCount, CancellationToken cancellationToken) => store.PurgeEndedAsync(endedBefore, maxCount, cancellationToken);

    public IAsyncEnumerable<JourneyRecord> ReadRecordsAsync(JourneyRecordQuery query, CancellationToken cancellationToken) => store.ReadRecordsAsync(query, cancellationToken);

    /// <summary>The idempotency key of the step a claim runs: these journeys' steps have one channel each.</summary>
    private static string KeyOf(JourneyInstance instance) => $"{instance.Id}:{instance.NextStepId}";

    private sealed class KillingClaim(IJourneyClaim claim, KillPoint kill) : IJourneyClaim
    {
        public JourneyInstance Instance => claim.Instance;

        public ValueTask LockCustomerAsync(string customerId, CancellationToken cancellationToken) => claim.LockCustomerAsync(customerId, cancellationToken);

        public async ValueTask CommitAsync(JourneyTransition transition, CancellationToken cancellationToken)
        {
            var key = KeyOf(claim.Instance);
            kill.Pass("before-commit", key);
            await claim.CommitAsync(transition, cancellationToken);
            kill.Pass("after-commit", key);
        }

        public ValueTask DisposeAsync() => claim.DisposeAsync();
    }
}
