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
            return ValueTask.FromResult(_entries.TryGetValue(id, out var entry) ? entry.Instance : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JourneyInstance>> FindAsync(JourneyInstanceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            IReadOnlyList<JourneyInstance> found = _entrySet
                .Where(e => (query.JourneyName is null || e.Instance.JourneyName == query.JourneyName)
                    && (query.CorrelationKey is null || e.Instance.CorrelationKey == query.CorrelationKey)
                    && (query.CustomerId is null || e.Instance.CustomerId == query.CustomerId))
                .OrderBy(e => e.Sequence)
                .Select(e => e.Instance)
                .ToList();
            return ValueTask.FromResult(found);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JourneyRecord>> GetTimelineAsync(JourneyInstanceId id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<JourneyRecord> timeline = _entries.TryGetValue(id, out var entry) ? entry.TimelineToList() : [];
            return ValueTask.FromResult(timeline);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JourneyRecord>> GetCustomerRecordsAsync(string customerId, Instant since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        lock (_gate)
        {
            IReadOnlyList<JourneyRecord> records = _byCustomer.TryGetValue(customerId, out var entries)
                ? entries.SelectMany(e => e.Timeline).Where(r => r.At >= since).OrderBy(r => r.At).ToList()
                : [];
            return ValueTask.FromResult(records);
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
                var entries = _byCustomer.GetValueOrDefault(customerId) ?? [];
                var claimed = entries.Find(e => e.Claimed);
                if (claimed is null)
                {
                    _byCustomer.Remove(customerId);
                    foreach (var exit in _exits.Values.Where(x => x.CustomerId == customerId || entries.Exists(e => e.Instance.JourneyName == x.JourneyName && e.Instance.CorrelationKey == x.CorrelationKey)).ToList())
                    {
                        _exits.Remove((exit.JourneyName, exit.CorrelationKey));
                    }

                    foreach (var entry in entries)
                    {
                        _entrySet.Remove(entry);
                        if (_active.TryGetValue((entry.Instance.JourneyName, entry.Instance.CorrelationKey), out var active) && active == entry)
                        {
                            _active.Remove((entry.Instance.JourneyName, entry.Instance.CorrelationKey));
                        }

                        // Its heap element, if any, goes stale: the entry has no wake-up any more.
                        entry.Instance = entry.Instance with { Status = JourneyStatus.Exited, WakeUpAt = null, NextStepId = null };
                        entry.ClearTimeline();
                    }

                    return entries.Count;
                }

                claimed.Released ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                released = claimed.Released.Task;
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
            matching = _entrySet.SelectMany(e => e.Timeline).Where(query.Matches).ToList();
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
