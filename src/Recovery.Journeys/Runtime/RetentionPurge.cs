using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// The retention purge: finished instances that ended more than the retention period ago are removed with their
/// timelines, batch by batch, each batch one short write of the store's, so due steps are never held up for long.
/// </summary>
internal sealed class RetentionPurge(IJourneyStore store, TimeProvider timeProvider, Duration? retention)
{
    /// <summary>How many instances one batch removes.</summary>
    public const int BatchSize = 500;

    /// <summary>Since when reports are complete: now minus the retention period; <see langword="null"/> without retention.</summary>
    public Instant? CompleteSince() => retention is { } period ? timeProvider.GetCurrentInstant() - period : null;

    public async ValueTask<int> PurgeAsync(CancellationToken cancellationToken)
    {
        if (CompleteSince() is not { } endedBefore)
        {
            return 0;
        }

        var total = 0;
        int removed;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            removed = await store.PurgeEndedAsync(endedBefore, BatchSize, cancellationToken).ConfigureAwait(false);
            total += removed;
        }
        while (removed == BatchSize);

        return total;
    }
}
