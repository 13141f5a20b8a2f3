using NodaTime;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Storage;

/// <summary>
/// Keeps journeys in process memory: the default store, and the one the fake-clock harness uses.
/// Everything is lost when the process ends; use a durable store in production.
/// </summary>
/// <remarks>Thread-safe. One lock guards all state; due instances are found through a min-heap on wake-up time.</remarks>
public sealed partial class InMemoryJourneyStore : IJourneyStore
{
    private readonly Lock _gate = new();
    // Sets of entries found by id and by journey and key through alternate lookups: 16 bytes a slot where a
    // dictionary keeping the key again takes 32, for every journey.
#if NET9_0_OR_GREATER
    private readonly HashSet<Entry> _entrySet = new(ById.Instance);
    private readonly HashSet<Entry> _activeSet = new(ByKey.Instance);
    private readonly HashSet<Entry>.AlternateLookup<JourneyInstanceId> _entries;
    private readonly HashSet<Entry>.AlternateLookup<(string Journey, string Key)> _active;
#else
    // .NET 8 has no alternate lookups: dictionaries keyed as before.
    private readonly KeyedEntries<JourneyInstanceId> _entrySet = new(e => e.Instance.Id);
    private readonly KeyedEntries<(string Journey, string Key)> _activeSet = new(e => (e.Instance.JourneyName, e.Instance.CorrelationKey));
    private readonly KeyedEntries<JourneyInstanceId> _entries;
    private readonly KeyedEntries<(string Journey, string Key)> _active;
#endif
    private readonly Dictionary<string, List<Entry>> _byCustomer = new(StringComparer.Ordinal);

    // Customers held by claims for a frequency cap, with the signal their release completes.
    private readonly Dictionary<string, (Claim Claim, TaskCompletionSource Released)> _customerHolders = new(StringComparer.Ordinal);

    // Lazy deletion: an element is stale when its entry is claimed, or due at another instant (or not at all).
    private readonly PriorityQueue<Entry, Instant> _due = new();

    // Exits remembered per journey and key; forgotten once expired (found stale through the queue, by expiry).
    private readonly Dictionary<(string Journey, string Key), RememberedExit> _exits = [];
    private readonly PriorityQueue<(string Journey, string Key), Instant> _exitExpiries = new();

    // Paused journeys, and the due entries of each taken out of the queue while it is paused (put back on resume).
    private readonly Dictionary<string, JourneyPause> _pauses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Entry>> _parked = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>Creates an empty store.</summary>
    public InMemoryJourneyStore()
    {
#if NET9_0_OR_GREATER
        _entries = _entrySet.GetAlternateLookup<JourneyInstanceId>();
        _active = _activeSet.GetAlternateLookup<(string Journey, string Key)>();
#else
        _entries = _entrySet;
        _active = _activeSet;
#endif
    }

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

                var existing = ActiveFor(key);
                if (existing is not null && start.Replace is null)
                {
                    return StartOutcome.AlreadyActive(existing.Instance.Id);
                }

                // Every instance this start ends must be free of claims before anything changes.
                var superseded = start.Supersede.Count == 0 ? null : start.Supersede.Select(s => (Entry: ActiveFor((s.JourneyName, s.CorrelationKey)), s.End)).Where(s => s.Entry is not null).ToList();
                var busy = existing is { Claimed: true } ? existing : superseded?.Find(s => s.Entry!.Claimed).Entry;
                if (busy is null)
                {
                    // Most starts end nothing: no list for them.
                    List<JourneyTransition>? ended = null;
                    if (existing is not null)
                    {
                        var replaced = start.Replace!(existing.Instance);
                        Apply(existing, replaced, claimEnded: false);
                        (ended ??= []).Add(replaced);
                    }

                    Add(start.Entry, active: true);
                    for (var i = 0; i < (superseded?.Count ?? 0); i++)
                    {
                        var (entry, end) = superseded![i];
                        if (entry!.Instance.IsActive && end(entry.Instance) is { } transition)
                        {
                            Apply(entry, transition, claimEnded: false);
                            (ended ??= []).Add(transition);
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
                var active = ActiveFor(key);
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

        entry.Append(transition.Records);
        if (!instance.IsActive && ActiveFor((instance.JourneyName, instance.CorrelationKey)) == entry)
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
        entry.Append(transition.Records);
        if (!_entrySet.Add(entry))
        {
            throw new ArgumentException($"An instance with id {instance.Id} is already stored.", nameof(transition));
        }

        if (active && !_activeSet.Add(entry))
        {
            throw new InvalidOperationException($"Journey {instance.JourneyName} already has an active instance for key {instance.CorrelationKey}.");
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

    private Entry? ActiveFor((string Journey, string Key) key) => _active.TryGetValue(key, out var entry) ? entry : null;

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
                if (_pauses.Count == 0 || !_pauses.ContainsKey(entry.Instance.JourneyName))
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
}
