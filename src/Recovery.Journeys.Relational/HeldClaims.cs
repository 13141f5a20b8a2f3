using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Relational;

/// <summary>
/// The claims a store holds in this process, one per journey instance, and the claim-wait loop: how a write that must
/// not go between a claim and its commit (an exit, a re-entry, an erasure) waits for the claim to end.
/// </summary>
/// <remarks>
/// For a store whose every contender is in one process (SQLite), a claim is an entry here, never a row: it dies with
/// the process, so the instance is due again after a restart. A store whose claims are database locks (PostgreSQL's
/// <c>FOR UPDATE</c>) does not need this: its writes wait for the lock in the server. Waiting is on a signal the
/// claim's end completes, so it neither polls nor sleeps. Thread-safe.
/// </remarks>
/// <typeparam name="TClaim">The store's claim.</typeparam>
internal sealed class HeldClaims<TClaim>
    where TClaim : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<JourneyInstanceId, TClaim> _held = [];
    private readonly Dictionary<JourneyInstanceId, TaskCompletionSource> _released = [];

    /// <summary>How many claims are held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>The instances held now.</summary>
    public HashSet<JourneyInstanceId> Instances()
    {
        lock (_gate)
        {
            return [.. _held.Keys];
        }
    }

    /// <summary>Holds <paramref name="instance"/> for <paramref name="claim"/>; false when another claim holds it.</summary>
    public bool TryHold(JourneyInstanceId instance, TClaim claim)
    {
        lock (_gate)
        {
            return _held.TryAdd(instance, claim);
        }
    }

    /// <summary>Whether a claim holds <paramref name="instance"/>.</summary>
    public bool IsHeld(JourneyInstanceId instance)
    {
        lock (_gate)
        {
            return _held.ContainsKey(instance);
        }
    }

    /// <summary>Whether <paramref name="claim"/> still holds <paramref name="instance"/> (not released, committed or dropped).</summary>
    public bool Holds(JourneyInstanceId instance, TClaim claim)
    {
        lock (_gate)
        {
            return _held.TryGetValue(instance, out var holder) && holder == claim;
        }
    }

    /// <summary>Ends <paramref name="claim"/>'s hold and wakes the writes waiting for it; false when it no longer held <paramref name="instance"/>.</summary>
    public bool Release(JourneyInstanceId instance, TClaim claim)
    {
        lock (_gate)
        {
            if (!_held.TryGetValue(instance, out var holder) || holder != claim)
            {
                return false;
            }

            _held.Remove(instance);
            if (_released.Remove(instance, out var released))
            {
                released.TrySetResult();
            }

            return true;
        }
    }

    /// <summary>
    /// The claim-wait loop. Runs <paramref name="attempt"/>, which either does its write or, finding an instance it
    /// needs held, writes nothing and names it; then waits for that claim to end and runs the attempt again, on what
    /// the claim's commit left.
    /// </summary>
    /// <remarks>
    /// An attempt names a held instance from inside the store's write serialisation, and the wait starts after it:
    /// a claim that ended in between is seen as ended here, so no release is missed.
    /// </remarks>
    /// <param name="attempt">The write: its result and <see langword="null"/> when done, or the held instance it must wait for.</param>
    /// <param name="cancellationToken">Stops the attempt or the wait.</param>
    /// <returns>The result of the attempt that found nothing held.</returns>
    public async Task<T> RetryWhileHeldAsync<T>(Func<CancellationToken, Task<(T Result, JourneyInstanceId? Held)>> attempt, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (result, held) = await attempt(cancellationToken).ConfigureAwait(false);
            if (held is not { } instance)
            {
                return result;
            }

            if (ReleasedTask(instance) is { } released)
            {
                await released.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Drops every claim, as a crash would, and fails the writes waiting for one with <paramref name="reason"/>.</summary>
    public void DropAll(Exception reason)
    {
        lock (_gate)
        {
            _held.Clear();
            foreach (var waiter in _released.Values)
            {
                waiter.TrySetException(reason);
            }

            _released.Clear();
        }
    }

    /// <summary>Completes when the claim on <paramref name="instance"/> ends; <see langword="null"/> when none holds it.</summary>
    private Task? ReleasedTask(JourneyInstanceId instance)
    {
        lock (_gate)
        {
            if (!_held.ContainsKey(instance))
            {
                return null;
            }

            if (!_released.TryGetValue(instance, out var released))
            {
                released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _released.Add(instance, released);
            }

            return released.Task;
        }
    }
}
