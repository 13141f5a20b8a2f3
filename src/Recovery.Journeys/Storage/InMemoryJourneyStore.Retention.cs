using NodaTime;

namespace Recovery.Journeys.Storage;

// Retention: finished instances removed with their timelines once their retention period is over.
public sealed partial class InMemoryJourneyStore
{
    /// <inheritdoc />
    public ValueTask<int> PurgeEndedAsync(Instant endedBefore, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        lock (_gate)
        {
            var expired = _entrySet
                .Where(e => !e.Instance.IsActive && !e.Claimed && e.Instance.WakeUpAt is null && e.Instance.EndedAt is { } ended && ended < endedBefore)
                .OrderBy(e => e.Instance.EndedAt)
                .ThenBy(e => e.Sequence)
                .Take(maxCount)
                .ToList();
            foreach (var entry in expired)
            {
                _entrySet.Remove(entry);
                if (entry.Instance.CustomerId is { } customerId && _byCustomer.TryGetValue(customerId, out var ofCustomer))
                {
                    ofCustomer.Remove(entry);
                    if (ofCustomer.Count == 0)
                    {
                        _byCustomer.Remove(customerId);
                    }
                }
            }

            return ValueTask.FromResult(expired.Count);
        }
    }
}
