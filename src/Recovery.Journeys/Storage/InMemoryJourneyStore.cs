using System.Runtime.InteropServices;
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

    // Every instance a slot of the slab, found by number: the sets, queues and lists below hold numbers, so neither
    // a start nor a step writes a reference to a new object into them (or into any old object).
    private readonly Slab _slab = new();

    // Every slot by its instance's id, and the active ones by journey and key: 12 bytes a slot and its bucket, in
    // chunks that stay off the large object heap as the store grows.
    private readonly SlotIndex _entries = new();
    private readonly SlotIndex _active = new();
    private readonly Dictionary<string, List<int>> _byCustomer = new(StringComparer.Ordinal);

    // Customers held by claims for a frequency cap, with the signal their release completes.
    private readonly Dictionary<string, (Claim Claim, TaskCompletionSource Released)> _customerHolders = new(StringComparer.Ordinal);

    // What waits for a claimed slot's release (a start, an exit or an update of its instance), by slot.
    private readonly Dictionary<int, TaskCompletionSource> _released = [];

    // Lazy deletion: an element is stale when its slot is claimed, or due at another instant (or not at all).
    private readonly DueQueue<int> _due = new();

    // Exits remembered per journey and key; forgotten once expired.
    private readonly ExitTable _exits = new();

    // Paused journeys, and the due slots of each taken out of the queue while it is paused (put back on resume).
    private readonly Dictionary<string, JourneyPause> _pauses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _parked = new(StringComparer.Ordinal);
    private long _sequence;
    private int _lastClaim;

    /// <summary>Creates an empty store.</summary>
    public InMemoryJourneyStore()
    {
    }

    /// <inheritdoc />
    public async ValueTask<StartOutcome> TryStartAsync(JourneyStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var instance = start.Entry.Instance;
        var key = new JourneyKey(instance.JourneyName, instance.CorrelationKey);
        while (true)
        {
            Task released;
            lock (_gate)
            {
                _exits.ForgetExpired(instance.StartedAt);
                if (start.IsStale)
                {
                    Add(start.Refusal(null), key, active: false);
                    return StartOutcome.Refused(null);
                }

                if (_exits.Find(key) is { } exit && start.IsRefusedBy(exit, instance.StartedAt))
                {
                    Add(start.Refusal(exit), key, active: false);
                    return StartOutcome.Refused(exit);
                }

                var existing = ActiveFor(key);
                if (existing >= 0 && start.Replace is null)
                {
                    return StartOutcome.AlreadyActive(_slab[existing].Id);
                }

                // Every instance this start ends must be free of claims before anything changes.
                var superseded = start.Supersede.Count == 0 ? null : start.Supersede.Select(s => (Slot: ActiveFor(new JourneyKey(s.JourneyName, s.CorrelationKey)), s.End)).Where(s => s.Slot >= 0).ToList();
                var busy = existing >= 0 && _slab[existing].Claimed ? existing : -1;
                if (busy < 0 && superseded?.FindIndex(s => _slab[s.Slot].Claimed) is >= 0 and var at)
                {
                    busy = superseded[at].Slot;
                }

                if (busy < 0)
                {
                    // Most starts end nothing: no list for them.
                    List<JourneyTransition>? ended = null;
                    if (existing >= 0)
                    {
                        var replaced = start.Replace!(_slab[existing].Instance);
                        Apply(existing, replaced, claimEnded: false, key);
                        (ended ??= []).Add(replaced);
                        ThrowIfActive(key, instance);
                    }

                    Add(start.Entry, key, active: true);
                    for (var i = 0; i < (superseded?.Count ?? 0); i++)
                    {
                        var (slot, end) = superseded![i];
                        if (_slab[slot].IsActive && end(_slab[slot].Instance) is { } transition)
                        {
                            Apply(slot, transition, claimEnded: false);
                            (ended ??= []).Add(transition);
                        }
                    }

                    return StartOutcome.Started(ended);
                }

                released = ReleaseOf(busy);
            }

            await released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<JourneyTransition?> ExitAsync(RememberedExit exit, Func<JourneyInstance, JourneyTransition?> end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exit);
        ArgumentNullException.ThrowIfNull(end);
        var key = new JourneyKey(exit.JourneyName, exit.CorrelationKey);
        while (true)
        {
            Task released;
            lock (_gate)
            {
                var active = ActiveFor(key);
                if (active < 0 || !_slab[active].Claimed)
                {
                    var transition = active < 0 ? null : end(_slab[active].Instance);
                    Remember(key, exit, active >= 0 ? _slab[active].CustomerId : null);
                    if (transition is not null)
                    {
                        Apply(active, transition, claimEnded: false, key);
                    }

                    return transition;
                }

                released = ReleaseOf(active);
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
                var key = new JourneyKey(journeyName, correlationKey);
                var slot = ActiveFor(key);
                if (slot < 0)
                {
                    return null;
                }

                if (!_slab[slot].Claimed)
                {
                    var transition = update(_slab[slot].Instance);
                    if (transition is not null)
                    {
                        Apply(slot, transition, claimEnded: false, key);
                    }

                    return transition;
                }

                released = ReleaseOf(slot);
            }

            await released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void CheckSameInstance(int slot, JourneyTransition transition)
    {
        var id = _slab[slot].Id;
        if (transition.Instance.Id != id)
        {
            throw new ArgumentException($"The transition is for instance {transition.Instance.Id}, not {id}.", nameof(transition));
        }
    }

    /// <summary>Writes a transition of the instance in a slot; <paramref name="key"/>, its journey and key, when the caller has it.</summary>
    private void Apply(int index, JourneyTransition transition, bool claimEnded, JourneyKey? key = null)
    {
        CheckSameInstance(index, transition);
        var instance = transition.Instance;
        ref var slot = ref _slab[index];
        var wasDueAt = slot.WakeUpAt;
        if (!instance.IsActive)
        {
            // Out of the active instances if it was one (found by its slot among its key's), before Set may replace its base.
            _active.Remove(index, (key ?? new JourneyKey(slot.JourneyName, slot.CorrelationKey)).Hash);
        }

        slot.Set(instance);
        slot.Append(transition.Records);

        if (claimEnded || instance.WakeUpAt != wasDueAt)
        {
            // A claim took the slot's heap element; an unclaimed slot keeps a live one for an unchanged wake-up.
            Enqueue(index);
        }
    }

    /// <summary>
    /// Adds a new instance (an entry, or a refused trigger that never became active) of the journey and key <paramref name="key"/>;
    /// an active one only where the key has none (the caller knows it: <see cref="ThrowIfActive"/>).
    /// </summary>
    private void Add(JourneyTransition transition, JourneyKey key, bool active)
    {
        var instance = transition.Instance;
        if (EntryFor(instance.Id) >= 0)
        {
            throw new ArgumentException($"An instance with id {instance.Id} is already stored.", nameof(transition));
        }

        var index = _slab.Take();
        ref var slot = ref _slab[index];
        slot.Init(instance, ++_sequence);
        slot.Append(transition.Records);
        _entries.Add(index, instance.Id.GetHashCode());
        if (active)
        {
            _active.Add(index, key.Hash);
        }

        if (instance.CustomerId is { } customerId)
        {
            // One lookup of the customer, whether known or new.
            (CollectionsMarshal.GetValueRefOrAddDefault(_byCustomer, customerId, out _) ??= []).Add(index);
        }

        Enqueue(index);
    }

    /// <summary>
    /// Refuses a start whose replacement left the key's instance active (a start is added active only where none is:
    /// the store found none, or the replacement it applied ended the one it found).
    /// </summary>
    private void ThrowIfActive(JourneyKey key, JourneyInstance instance)
    {
        if (ActiveFor(key) >= 0)
        {
            throw new InvalidOperationException($"Journey {instance.JourneyName} already has an active instance for key {instance.CorrelationKey}.");
        }
    }

    /// <summary>Remembers an exit of <paramref name="key"/>, of the active instance's customer when it had one.</summary>
    private void Remember(JourneyKey key, RememberedExit exit, string? customerId)
    {
        if (_exits.FindWritten(key, out var knownCustomerId) is { } known)
        {
            // The latest exit is kept with its own event type; the furthest expiry wins whichever it came with.
            var latest = exit.At >= known.At ? exit : known;
            var expiresAt = Instant.Max(known.ExpiresAt, exit.ExpiresAt);
            customerId ??= knownCustomerId;
            exit = latest.ExpiresAt == expiresAt ? latest : latest with { ExpiresAt = expiresAt };
        }

        // Kept as written, the customer beside it (the table makes the copy with it only to hand it out).
        _exits.Set(key, exit, customerId);
    }

    /// <summary>The active instance's slot for a journey and key, or −1.</summary>
    private int ActiveFor(JourneyKey key)
    {
        for (var entry = _active.First(key.Hash); entry >= 0; entry = _active.Next(entry))
        {
            if (_active.HashAt(entry) == key.Hash && key.Matches(in _slab[_active.SlotAt(entry)]))
            {
                return _active.SlotAt(entry);
            }
        }

        return -1;
    }

    /// <summary>The slot of the instance <paramref name="id"/>, or −1.</summary>
    private int EntryFor(JourneyInstanceId id)
    {
        var hash = id.GetHashCode();
        for (var entry = _entries.First(hash); entry >= 0; entry = _entries.Next(entry))
        {
            if (_entries.HashAt(entry) == hash && _slab[_entries.SlotAt(entry)].Id == id)
            {
                return _entries.SlotAt(entry);
            }
        }

        return -1;
    }

    private void Enqueue(int index)
    {
        // A parked slot may have been freed (its instance erased) while its journey was paused.
        if (!_slab[index].IsFree && _slab[index].WakeUpAt is { } dueAt)
        {
            _due.Enqueue(index, dueAt);
        }
    }

    /// <summary>What completes when the claim on a slot ends.</summary>
    private Task ReleaseOf(int slot)
    {
        ref var released = ref CollectionsMarshal.GetValueRefOrAddDefault(_released, slot, out _);
        released ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return released.Task;
    }

    private void SignalReleased(int slot)
    {
        if (_released.Remove(slot, out var released))
        {
            released.TrySetResult();
        }
    }

    private bool TryPeekLive(out int index, out Instant dueAt)
    {
        while (_due.TryPeek(out index, out dueAt))
        {
            ref var slot = ref _slab[index];
            if (!slot.IsFree && !slot.Claimed && slot.WakeUpAt == dueAt)
            {
                if (_pauses.Count == 0 || !_pauses.ContainsKey(slot.JourneyName))
                {
                    return true;
                }

                if (!_parked.TryGetValue(slot.JourneyName, out var parked))
                {
                    _parked[slot.JourneyName] = parked = [];
                }

                parked.Add(index);
            }

            _due.Dequeue();
        }

        return false;
    }
}
