using NodaTime;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Storage;

// Claims: an entry held by one claim object, until it is committed or released.
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
            for (var count = 0; count < maxCount && TryPeekLive(out var entry, out var dueAt) && dueAt <= now; count++)
            {
                _due.Dequeue();
                var claim = new Claim(this, entry);
                entry.Holder = claim;
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
            ReleaseCustomer(claim);
        }
    }

    private void Release(Entry entry, Claim claim)
    {
        lock (_gate)
        {
            ReleaseCustomer(claim);
            if (entry.Holder != claim)
            {
                return;
            }

            entry.Holder = null;
            Enqueue(entry);
            SignalReleased(entry);
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

    private sealed class Claim(InMemoryJourneyStore store, Entry entry) : IJourneyClaim, IReadOnlyList<IJourneyClaim>
    {
        private bool _done;

        public JourneyInstance Instance { get; } = entry.Instance;

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
            store.Commit(entry, this, transition);
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
                store.Release(entry, this);
            }

            return ValueTask.CompletedTask;
        }
    }
}
