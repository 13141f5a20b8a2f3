using System.Runtime.CompilerServices;
using NodaTime;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Storage;

/// <summary>
/// Keeps journeys in process memory: the default store, and the one the fake-clock harness uses.
/// Everything is lost when the process ends; use a durable store in production.
/// </summary>
/// <remarks>Thread-safe. One lock guards all state; due instances are found through a min-heap on wake-up time.</remarks>
public sealed class InMemoryJourneyStore : IJourneyStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<JourneyInstanceId, Entry> _entries = [];
    private readonly Dictionary<(string Journey, string Key), Entry> _active = [];
    private readonly Dictionary<string, List<Entry>> _byCustomer = new(StringComparer.Ordinal);

    // Lazy deletion: an element is stale when its entry is claimed, or due at another instant (or not at all).
    private readonly PriorityQueue<Entry, Instant> _due = new();

    // Exits remembered per journey and key; forgotten once expired (found stale through the queue, by expiry).
    private readonly Dictionary<(string Journey, string Key), RememberedExit> _exits = [];
    private readonly PriorityQueue<(string Journey, string Key), Instant> _exitExpiries = new();

    // Paused journeys, and the due entries of each taken out of the queue while it is paused (put back on resume).
    private readonly Dictionary<string, JourneyPause> _pauses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Entry>> _parked = new(StringComparer.Ordinal);
    private long _sequence;

    /// <inheritdoc />
    public async ValueTask<StartOutcome> TryStartAsync(JourneyStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var instance = start.Entry.Instance;
        var key = (instance.JourneyName, instance.CorrelationKey);
        while (true)
        {
            Task released;
            lock (_gate)
            {
                ForgetExpiredExits(instance.StartedAt);
                if (start.IsStale)
                {
                    Add(start.Refusal(null), active: false);
                    return StartOutcome.Refused(null);
                }

                if (_exits.TryGetValue(key, out var exit) && start.IsRefusedBy(exit, instance.StartedAt))
                {
                    Add(start.Refusal(exit), active: false);
                    return StartOutcome.Refused(exit);
                }

                var existing = _active.GetValueOrDefault(key);
                if (existing is not null && start.Replace is null)
                {
                    return StartOutcome.AlreadyActive(existing.Instance.Id);
                }

                // Every instance this start ends must be free of claims before anything changes.
                var superseded = start.Supersede.Select(s => (Entry: _active.GetValueOrDefault((s.JourneyName, s.CorrelationKey)), s.End)).Where(s => s.Entry is not null).ToList();
                var busy = existing is { Claimed: true } ? existing : superseded.Find(s => s.Entry!.Claimed).Entry;
                if (busy is null)
                {
                    var ended = new List<JourneyTransition>();
                    if (existing is not null)
                    {
                        var replaced = start.Replace!(existing.Instance);
                        Apply(existing, replaced, claimEnded: false);
                        ended.Add(replaced);
                    }

                    Add(start.Entry, active: true);
                    foreach (var (entry, end) in superseded)
                    {
                        if (entry!.Instance.IsActive && end(entry.Instance) is { } transition)
                        {
                            Apply(entry, transition, claimEnded: false);
                            ended.Add(transition);
                        }
                    }

                    return StartOutcome.Started(ended);
                }

                busy.Released ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                released = busy.Released.Task;
            }

            await released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<JourneyTransition?> ExitAsync(RememberedExit exit, Func<JourneyInstance, JourneyTransition?> end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exit);
        ArgumentNullException.ThrowIfNull(end);
        var key = (exit.JourneyName, exit.CorrelationKey);
        while (true)
        {
            Task released;
            lock (_gate)
            {
                var active = _active.GetValueOrDefault(key);
                if (active is not { Claimed: true })
                {
                    var transition = active is null ? null : end(active.Instance);
                    Remember(exit with { CustomerId = active?.Instance.CustomerId ?? _exits.GetValueOrDefault(key)?.CustomerId });
                    if (transition is not null)
                    {
                        Apply(active!, transition, claimEnded: false);
                    }

                    return transition;
                }

                active.Released ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                released = active.Released.Task;
            }

            await released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<JourneyTransition?> UpdateActiveAsync(
        string journeyName,
        string correlationKey,
        Func<JourneyInstance, JourneyTransition?> update,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        while (true)
        {
            Task released;
            lock (_gate)
            {
                if (!_active.TryGetValue((journeyName, correlationKey), out var entry))
                {
                    return null;
                }

                if (!entry.Claimed)
                {
                    var transition = update(entry.Instance);
                    if (transition is not null)
                    {
                        Apply(entry, transition, claimEnded: false);
                    }

                    return transition;
                }

                entry.Released ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                released = entry.Released.Task;
            }

            await released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<IJourneyClaim>> ClaimDueAsync(Instant now, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        List<IJourneyClaim>? claims = null;
        lock (_gate)
        {
            while ((claims?.Count ?? 0) < maxCount && TryPeekLive(out var entry, out var dueAt) && dueAt <= now)
            {
                _due.Dequeue();
                var claim = new Claim(this, entry);
                entry.Holder = claim;
                (claims ??= []).Add(claim);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<IJourneyClaim>>(claims ?? (IReadOnlyList<IJourneyClaim>)[]);
    }

    /// <inheritdoc />
    public ValueTask<IJourneyClaim?> TryClaimAsync(JourneyInstanceId id, Instant now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(id, out var entry)
                && !entry.Claimed
                && !_pauses.ContainsKey(entry.Instance.JourneyName)
                && entry.Instance.WakeUpAt is { } dueAt
                && dueAt <= now)
            {
                // Its heap element goes stale (claimed) and is dropped when reached.
                var claim = new Claim(this, entry);
                entry.Holder = claim;
                return ValueTask.FromResult<IJourneyClaim?>(claim);
            }
        }

        return ValueTask.FromResult<IJourneyClaim?>(null);
    }

    /// <inheritdoc />
    public ValueTask<Instant?> GetNextWakeUpAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(TryPeekLive(out _, out var dueAt) ? dueAt : (Instant?)null);
        }
    }

    /// <inheritdoc />
    public ValueTask SetPauseAsync(JourneyPause pause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pause);
        lock (_gate)
        {
            _pauses[pause.JourneyName] = pause;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<PauseEnd?> ClearPauseAsync(string journeyName, Instant resumedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journeyName);
        lock (_gate)
        {
            if (!_pauses.Remove(journeyName, out var pause))
            {
                return ValueTask.FromResult<PauseEnd?>(null);
            }

            if (_parked.Remove(journeyName, out var parked))
            {
                parked.ForEach(Enqueue);
            }

            var detail = $"held while the journey was paused, from {NodaTime.Text.InstantPattern.ExtendedIso.Format(pause.PausedAt)} to {NodaTime.Text.InstantPattern.ExtendedIso.Format(resumedAt)}";
            var held = _active.Values.Where(e => e.Instance.JourneyName == journeyName && e.Instance.WakeUpAt <= resumedAt).ToList();
            foreach (var entry in held)
            {
                entry.Timeline.Add(new JourneyRecord(entry.Instance.Id, journeyName, resumedAt, JourneyRecordKind.Held) { StepId = entry.Instance.NextStepId, Detail = detail });
            }

            return ValueTask.FromResult<PauseEnd?>(new PauseEnd(pause, [.. held.Select(e => e.Instance.Id)]));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JourneyPause>> GetPausesAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<JourneyPause>>([.. _pauses.Values]);
        }
    }

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
            IReadOnlyList<JourneyInstance> found = _entries.Values
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
            IReadOnlyList<JourneyRecord> timeline = _entries.TryGetValue(id, out var entry) ? entry.Timeline.ToList() : [];
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
                        _entries.Remove(entry.Instance.Id);
                        if (_active.TryGetValue((entry.Instance.JourneyName, entry.Instance.CorrelationKey), out var active) && active == entry)
                        {
                            _active.Remove((entry.Instance.JourneyName, entry.Instance.CorrelationKey));
                        }

                        // Its heap element, if any, goes stale: the entry has no wake-up any more.
                        entry.Instance = entry.Instance with { Status = JourneyStatus.Exited, WakeUpAt = null, NextStepId = null };
                        entry.Timeline.Clear();
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
            matching = _entries.Values.SelectMany(e => e.Timeline).Where(query.Matches).ToList();
        }

        // A stable sort keeps each instance's own order for entries written at the same instant.
        foreach (var record in matching.OrderBy(r => r.At))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private void Commit(Entry entry, Claim claim, JourneyTransition transition)
    {
        lock (_gate)
        {
            // Checked by identity: after a release the entry may already be held by a newer claim.
            if (entry.Holder != claim)
            {
                throw new InvalidOperationException($"The claim on journey instance {entry.Instance.Id} was already committed or released.");
            }

            // Checked before anything changes, so that a refused commit leaves the claim held and releasable.
            CheckSameInstance(entry, transition);
            entry.Holder = null;
            Apply(entry, transition, claimEnded: true);
            SignalReleased(entry);
        }
    }

    private void Release(Entry entry, Claim claim)
    {
        lock (_gate)
        {
            if (entry.Holder != claim)
            {
                return;
            }

            entry.Holder = null;
            Enqueue(entry);
            SignalReleased(entry);
        }
    }

    private static void CheckSameInstance(Entry entry, JourneyTransition transition)
    {
        if (transition.Instance.Id != entry.Instance.Id)
        {
            throw new ArgumentException($"The transition is for instance {transition.Instance.Id}, not {entry.Instance.Id}.", nameof(transition));
        }
    }

    private void Apply(Entry entry, JourneyTransition transition, bool claimEnded)
    {
        CheckSameInstance(entry, transition);
        var instance = transition.Instance;
        var wasDueAt = entry.Instance.WakeUpAt;
        entry.Instance = instance;

        // A timeline starts at the size of its first entries, as most wait with them; it grows to four at the next ones.
        entry.Timeline.EnsureCapacity(Math.Max(4, entry.Timeline.Count + transition.Records.Count));
        entry.Timeline.AddRange(transition.Records);
        if (!instance.IsActive && _active.GetValueOrDefault((instance.JourneyName, instance.CorrelationKey)) == entry)
        {
            _active.Remove((instance.JourneyName, instance.CorrelationKey));
        }

        if (claimEnded || instance.WakeUpAt != wasDueAt)
        {
            // A claim took the entry's heap element; an unclaimed entry keeps a live one for an unchanged wake-up.
            Enqueue(entry);
        }
    }

    /// <summary>Adds a new instance (an entry, or a refused trigger that never became active).</summary>
    private void Add(JourneyTransition transition, bool active)
    {
        var instance = transition.Instance;
        var entry = new Entry(instance, ++_sequence);
        entry.Timeline.AddRange(transition.Records);
        _entries.Add(instance.Id, entry);
        if (active)
        {
            _active.Add((instance.JourneyName, instance.CorrelationKey), entry);
        }

        if (instance.CustomerId is { } customerId)
        {
            if (!_byCustomer.TryGetValue(customerId, out var ofCustomer))
            {
                _byCustomer[customerId] = ofCustomer = [];
            }

            ofCustomer.Add(entry);
        }

        Enqueue(entry);
    }

    private void Remember(RememberedExit exit)
    {
        var key = (exit.JourneyName, exit.CorrelationKey);
        if (_exits.GetValueOrDefault(key) is { } known)
        {
            // The latest exit is kept with its own event type; the furthest expiry wins whichever it came with.
            var latest = exit.At >= known.At ? exit : known;
            exit = latest with { ExpiresAt = Instant.Max(known.ExpiresAt, exit.ExpiresAt), CustomerId = exit.CustomerId ?? known.CustomerId };
        }

        _exits[key] = exit;
        _exitExpiries.Enqueue(key, exit.ExpiresAt);
    }

    private void ForgetExpiredExits(Instant now)
    {
        while (_exitExpiries.TryPeek(out var key, out var expiresAt) && expiresAt <= now)
        {
            _exitExpiries.Dequeue();
            if (_exits.TryGetValue(key, out var exit) && exit.ExpiresAt <= now)
            {
                _exits.Remove(key);
            }
        }
    }

    private void Enqueue(Entry entry)
    {
        if (entry.Instance.WakeUpAt is { } dueAt)
        {
            _due.Enqueue(entry, dueAt);
        }
    }

    private static void SignalReleased(Entry entry)
    {
        entry.Released?.TrySetResult();
        entry.Released = null;
    }

    private bool TryPeekLive(out Entry entry, out Instant dueAt)
    {
        while (_due.TryPeek(out entry!, out dueAt))
        {
            if (!entry.Claimed && entry.Instance.WakeUpAt == dueAt)
            {
                if (!_pauses.ContainsKey(entry.Instance.JourneyName))
                {
                    return true;
                }

                if (!_parked.TryGetValue(entry.Instance.JourneyName, out var parked))
                {
                    _parked[entry.Instance.JourneyName] = parked = [];
                }

                parked.Add(entry);
            }

            _due.Dequeue();
        }

        return false;
    }

    private sealed class Entry(JourneyInstance instance, long sequence)
    {
        public JourneyInstance Instance { get; set; } = instance;

        public long Sequence { get; } = sequence;

        public List<JourneyRecord> Timeline { get; } = new(1);

        public Claim? Holder { get; set; }

        public bool Claimed => Holder is not null;

        public TaskCompletionSource? Released { get; set; }
    }

    private sealed class Claim(InMemoryJourneyStore store, Entry entry) : IJourneyClaim
    {
        private bool _done;

        public JourneyInstance Instance { get; } = entry.Instance;

        public ValueTask CommitAsync(JourneyTransition transition, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(transition);
            store.Commit(entry, this, transition);
            _done = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (!_done)
            {
                _done = true;
                store.Release(entry, this);
            }

            return ValueTask.CompletedTask;
        }
    }
}
