using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Tests.Fixtures;

/// <summary>An in-memory store that tests wrap to change one behaviour (a failing commit, JSON-only events).</summary>
public abstract class DelegatingStore : IJourneyStore
{
    protected InMemoryJourneyStore Inner { get; } = new();

    public virtual ValueTask<StartOutcome> TryStartAsync(JourneyStart start, CancellationToken cancellationToken) => Inner.TryStartAsync(start, cancellationToken);

    public virtual ValueTask<JourneyTransition?> ExitAsync(RememberedExit exit, Func<JourneyInstance, JourneyTransition?> end, CancellationToken cancellationToken) =>
        Inner.ExitAsync(exit, end, cancellationToken);

    public ValueTask SetPauseAsync(JourneyPause pause, CancellationToken cancellationToken) => Inner.SetPauseAsync(pause, cancellationToken);

    public ValueTask<PauseEnd?> ClearPauseAsync(string journeyName, Instant resumedAt, CancellationToken cancellationToken) => Inner.ClearPauseAsync(journeyName, resumedAt, cancellationToken);

    public ValueTask<IReadOnlyList<JourneyPause>> GetPausesAsync(CancellationToken cancellationToken) => Inner.GetPausesAsync(cancellationToken);

    public virtual ValueTask<JourneyTransition?> UpdateActiveAsync(string journeyName, string correlationKey, Func<JourneyInstance, JourneyTransition?> update, CancellationToken cancellationToken) =>
        Inner.UpdateActiveAsync(journeyName, correlationKey, update, cancellationToken);

    public virtual ValueTask<IReadOnlyList<IJourneyClaim>> ClaimDueAsync(Instant now, int maxCount, CancellationToken cancellationToken) => Inner.ClaimDueAsync(now, maxCount, cancellationToken);

    public virtual ValueTask<IJourneyClaim?> TryClaimAsync(JourneyInstanceId id, Instant now, CancellationToken cancellationToken) => Inner.TryClaimAsync(id, now, cancellationToken);

    public virtual ValueTask<Instant?> GetNextWakeUpAsync(CancellationToken cancellationToken) => Inner.GetNextWakeUpAsync(cancellationToken);

    public ValueTask<JourneyInstance?> GetAsync(JourneyInstanceId id, CancellationToken cancellationToken) => Inner.GetAsync(id, cancellationToken);

    public ValueTask<IReadOnlyList<JourneyInstance>> FindAsync(JourneyInstanceQuery query, CancellationToken cancellationToken) => Inner.FindAsync(query, cancellationToken);

    public ValueTask<IReadOnlyList<JourneyRecord>> GetTimelineAsync(JourneyInstanceId id, CancellationToken cancellationToken) => Inner.GetTimelineAsync(id, cancellationToken);

    public ValueTask<IReadOnlyList<JourneyRecord>> GetCustomerRecordsAsync(string customerId, Instant since, CancellationToken cancellationToken) =>
        Inner.GetCustomerRecordsAsync(customerId, since, cancellationToken);

    public ValueTask<int> EraseCustomerAsync(string customerId, CancellationToken cancellationToken) => Inner.EraseCustomerAsync(customerId, cancellationToken);

    public ValueTask<int> PurgeEndedAsync(Instant endedBefore, int maxCount, CancellationToken cancellationToken) => Inner.PurgeEndedAsync(endedBefore, maxCount, cancellationToken);

    public IAsyncEnumerable<JourneyRecord> ReadRecordsAsync(JourneyRecordQuery query, CancellationToken cancellationToken) => Inner.ReadRecordsAsync(query, cancellationToken);
}
