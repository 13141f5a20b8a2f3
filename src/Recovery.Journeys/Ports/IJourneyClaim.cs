using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Ports;

/// <summary>Exclusive hold of one due instance by one worker, handed out by <see cref="IJourneyStore.ClaimDueAsync"/>.</summary>
/// <remarks>
/// While a claim is held no other worker claims the instance and <see cref="IJourneyStore.UpdateActiveAsync"/> waits.
/// The engine commits it once, with the step's outcome and the instance's next state, or disposes it: disposing a
/// claim that was not committed releases it unchanged, and the instance stays due. A store that leases claims throws
/// <see cref="JourneyClaimLostException"/> from a commit that comes after the lease was taken over.
/// </remarks>
public interface IJourneyClaim : IAsyncDisposable
{
    /// <summary>The instance's state when it was claimed.</summary>
    JourneyInstance Instance { get; }

    /// <summary>Persists the new state and its records atomically, and releases the claim.</summary>
    /// <param name="transition">The new state of <see cref="Instance"/> and its records.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="JourneyClaimLostException">The claim expired and another worker took the instance.</exception>
    ValueTask CommitAsync(JourneyTransition transition, CancellationToken cancellationToken);

    /// <summary>
    /// Holds a customer exclusively until this claim is committed or disposed: the same call on another claim, by any
    /// worker sharing the store, waits until then. The engine calls it before a frequency cap reads the customer's
    /// messages, so the cap's check and the record of the send it allows are one step for that customer, and two
    /// journeys of one customer on two workers cannot both pass a cap that allows one more message.
    /// </summary>
    /// <remarks>
    /// A claim holds at most one customer (calling it again for the same customer returns at once), so claims never
    /// wait on one another in a cycle. The default does nothing: a store without it keeps caps best-effort.
    /// </remarks>
    /// <param name="customerId">The customer whose messages the step counts.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    ValueTask LockCustomerAsync(string customerId, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
