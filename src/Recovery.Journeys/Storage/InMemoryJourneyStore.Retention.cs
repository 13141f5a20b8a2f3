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
            var expired = _entries.Slots()
                .Where(i => !_slab[i].IsActive && !_slab[i].Claimed && _slab[i].WakeUpAt is null && _slab[i].EndedAt is { } ended && ended < endedBefore)
                .OrderBy(i => _slab[i].EndedAt)
                .ThenBy(i => _slab[i].Sequence)
                .Take(maxCount)
                .ToList();
            foreach (var slot in expired)
            {
                _entries.Remove(slot, _slab[slot].Id.GetHashCode());
                if (_slab[slot].CustomerId is { } customerId && _byCustomer.TryGetValue(customerId, out var ofCustomer))
                {
                    ofCustomer.Remove(slot);
                    if (ofCustomer.Count == 0)
                    {
                        _byCustomer.Remove(customerId);
                    }
                }

                _slab.Free(slot);
            }

            return ValueTask.FromResult(expired.Count);
        }
    }
}
