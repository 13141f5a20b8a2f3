using NodaTime;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Storage;

// Claims: a slot held by one claim (its number kept in the slot), until it is committed or released.
public sealed partial class InMemoryJourneyStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<IJourneyClaim>> ClaimDueAsync(Instant now, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        // A loop running one step at a time claims one: then no list is made for it.
        Claim? first = null;
        List<IJourneyClaim>? claims = null;
        lock (_gate)
        {
            for (var count = 0; count < maxCount && TryPeekLive(out var slot, out var dueAt) && dueAt <= now; count++)
            {
                _due.Dequeue();
                var claim = NewClaim(slot);
                if (first is null)
                {
                    first = claim;
                }
                else
                {
                    (claims ??= new List<IJourneyClaim>(Math.Min(maxCount, 64)) { first }).Add(claim);
                }
            }
        }

        if (claims is not null)
        {
            return ValueTask.FromResult<IReadOnlyList<IJourneyClaim>>(claims);
        }

        // A claim is a list of itself: one claimed makes no list.
        return ValueTask.FromResult<IReadOnlyList<IJourneyClaim>>(first is null ? [] : first);
    }

    /// <inheritdoc />
    public ValueTask<IJourneyClaim?> TryClaimAsync(JourneyInstanceId id, Instant now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var slot = EntryFor(id);
            if (slot >= 0
                && !_slab[slot].Claimed
                && !_pauses.ContainsKey(_slab[slot].JourneyName)
                && _slab[slot].WakeUpAt is { } dueAt
                && dueAt <= now)
            {
                // Its heap element goes stale (claimed) and is dropped when reached.
                var claim = NewClaim(slot);
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

    /// <summary>Claims a slot, under the gate: the slot keeps the claim's number, not the claim.</summary>
    private Claim NewClaim(int slot)
    {
        var number = ++_lastClaim;
        if (number == 0)
        {
            number = ++_lastClaim;
        }

        _slab[slot].Holder = number;
        return new Claim(this, slot, number, _slab[slot].Instance);
    }

    private void Commit(Claim claim, JourneyTransition transition)
    {
        lock (_gate)
        {
            // Checked by number: after a release the slot may already be held by a newer claim.
            if (_slab[claim.Slot].Holder != claim.Number)
            {
                throw new InvalidOperationException($"The claim on journey instance {claim.Instance.Id} was already committed or released.");
            }

            // Checked before anything changes, so that a refused commit leaves the claim held and releasable.
            CheckSameInstance(claim.Slot, transition);
            _slab[claim.Slot].Holder = 0;
            Apply(claim.Slot, transition, claimEnded: true);
            SignalReleased(claim.Slot);
            ReleaseCustomer(claim);
        }
    }

    private void Release(Claim claim)
    {
        lock (_gate)
        {
            ReleaseCustomer(claim);
            if (_slab[claim.Slot].Holder != claim.Number)
            {
                return;
            }

            _slab[claim.Slot].Holder = 0;
            Enqueue(claim.Slot);
            SignalReleased(claim.Slot);
        }
    }

    /// <summary>Holds a customer for a claim, waiting while another claim holds it (exact frequency caps).</summary>
    private async ValueTask<bool> LockCustomerAsync(Claim claim, string customerId, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task released;
            lock (_gate)
            {
                if (claim.Customer is { } held)
                {
                    return held == customerId
                        ? true
                        : throw new InvalidOperationException($"The claim on journey instance {claim.Instance.Id} already holds another customer.");
                }

                if (!_customerHolders.TryGetValue(customerId, out var holder))
                {
                    _customerHolders[customerId] = (claim, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    claim.Customer = customerId;
                    return true;
                }

                released = holder.Released.Task;
            }

            await released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lets go of the claim's customer, if it holds one; under the gate.</summary>
    private void ReleaseCustomer(Claim claim)
    {
        if (claim.Customer is { } customerId && _customerHolders.TryGetValue(customerId, out var holder) && holder.Claim == claim)
        {
            _customerHolders.Remove(customerId);
            holder.Released.TrySetResult();
        }

        claim.Customer = null;
    }

    private sealed class Claim(InMemoryJourneyStore store, int slot, int number, JourneyInstance instance) : IJourneyClaim, IReadOnlyList<IJourneyClaim>
    {
        private bool _done;

        public JourneyInstance Instance { get; } = instance;

        /// <summary>The claimed slot, and the number the slot keeps while this claim holds it.</summary>
        public int Slot { get; } = slot;

        public int Number { get; } = number;

        /// <summary>The customer this claim holds for a frequency cap; guarded by the store's gate.</summary>
        public string? Customer { get; set; }

        public ValueTask LockCustomerAsync(string customerId, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(customerId);
            return _done ? throw new InvalidOperationException($"The claim on journey instance {Instance.Id} was already committed or released.") : LockAsync(customerId, cancellationToken);
        }

        private async ValueTask LockAsync(string customerId, CancellationToken cancellationToken) =>
            await store.LockCustomerAsync(this, customerId, cancellationToken).ConfigureAwait(false);

        public ValueTask CommitAsync(JourneyTransition transition, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(transition);
            store.Commit(this, transition);
            _done = true;
            return ValueTask.CompletedTask;
        }

        int IReadOnlyCollection<IJourneyClaim>.Count => 1;

        IJourneyClaim IReadOnlyList<IJourneyClaim>.this[int index] => index == 0 ? this : throw new ArgumentOutOfRangeException(nameof(index));

        IEnumerator<IJourneyClaim> IEnumerable<IJourneyClaim>.GetEnumerator()
        {
            yield return this;
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => ((IEnumerable<IJourneyClaim>)this).GetEnumerator();

        public ValueTask DisposeAsync()
        {
            if (!_done)
            {
                _done = true;
                store.Release(this);
            }

            return ValueTask.CompletedTask;
        }
    }
}
