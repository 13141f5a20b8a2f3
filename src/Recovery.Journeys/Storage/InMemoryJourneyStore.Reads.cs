using System.Runtime.CompilerServices;
using NodaTime;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Storage;

// Reads and erasure.
public sealed partial class InMemoryJourneyStore
{
    /// <inheritdoc />
    public ValueTask<JourneyInstance?> GetAsync(JourneyInstanceId id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var slot = EntryFor(id);
            return ValueTask.FromResult(slot >= 0 ? _slab[slot].Instance : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JourneyInstance>> FindAsync(JourneyInstanceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            IReadOnlyList<JourneyInstance> found = _entries.Slots()
                .Where(i => (query.JourneyName is null || _slab[i].JourneyName == query.JourneyName)
                    && (query.CorrelationKey is null || _slab[i].CorrelationKey == query.CorrelationKey)
                    && (query.CustomerId is null || _slab[i].CustomerId == query.CustomerId))
                .OrderBy(i => _slab[i].Sequence)
                .Select(i => _slab[i].Instance)
                .ToList();
            return ValueTask.FromResult(found);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JourneyRecord>> GetTimelineAsync(JourneyInstanceId id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var slot = EntryFor(id);
            IReadOnlyList<JourneyRecord> timeline = slot >= 0 ? _slab[slot].TimelineToList() : [];
            return ValueTask.FromResult(timeline);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JourneyRecord>> GetCustomerRecordsAsync(string customerId, Instant since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        lock (_gate)
        {
            if (!_byCustomer.TryGetValue(customerId, out var slots))
            {
                return ValueTask.FromResult<IReadOnlyList<JourneyRecord>>([]);
            }

            var records = new List<JourneyRecord>();
            foreach (var slot in slots)
            {
                _slab[slot].AddTimelineTo(records);
            }

            // A stable sort keeps each instance's own order for entries written at the same instant.
            IReadOnlyList<JourneyRecord> sorted = records.Where(r => r.At >= since).OrderBy(r => r.At).ToList();
            return ValueTask.FromResult(sorted);
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> EraseCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        while (true)
        {
            Task released;
            lock (_gate)
            {
                var slots = _byCustomer.GetValueOrDefault(customerId) ?? [];
                var claimed = slots.FindIndex(i => _slab[i].Claimed);
                if (claimed < 0)
                {
                    _byCustomer.Remove(customerId);
                    foreach (var (exit, _) in _exits.Values.Where(x => x.CustomerId == customerId || slots.Exists(i => _slab[i].JourneyName == x.Exit.JourneyName && _slab[i].CorrelationKey == x.Exit.CorrelationKey)).ToList())
                    {
                        _exits.Remove(new JourneyKey(exit.JourneyName, exit.CorrelationKey));
                    }

                    foreach (var slot in slots)
                    {
                        _entries.Remove(slot, _slab[slot].Id.GetHashCode());
                        _active.Remove(slot, new JourneyKey(_slab[slot].JourneyName, _slab[slot].CorrelationKey).Hash);

                        // Its heap elements, if any, go stale: a free slot is never due (and one used again is checked anew).
                        _slab.Free(slot);
                    }

                    return slots.Count;
                }

                released = ReleaseOf(slots[claimed]);
            }

            await released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JourneyRecord> ReadRecordsAsync(
        JourneyRecordQuery query,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        List<JourneyRecord> matching;
        lock (_gate)
        {
            matching = [];
            Func<JourneyRecord, bool> matches = query.Matches;
            foreach (var slot in _entries.Slots())
            {
                _slab[slot].AddTimelineTo(matching, matches);
            }
        }

        // A stable sort keeps each instance's own order for entries written at the same instant.
        foreach (var record in matching.OrderBy(r => r.At))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
