using NodaTime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Ports;

/// <summary>
/// Keeps journey instances and their timelines, and serialises every change to an instance.
/// </summary>
/// <remarks>
/// <para>
/// The engine has one execution path for every store: claim a due instance, check it is still active, run its
/// step, then commit the new state and the step's record in one atomic write, which releases the claim. Everything
/// else that changes an active instance (an exit event, a re-entry) goes through
/// <see cref="UpdateActiveAsync"/>, which waits for a claim in progress to end; so an exit committed before a step
/// was claimed prevents its send, and an exit that arrives during a send is applied after it.
/// </para>
/// <para>
/// Implementations must be thread-safe. <c>Recovery.Journeys.Testing</c> has a conformance suite that proves an
/// implementation keeps this contract.
/// </para>
/// </remarks>
public interface IJourneyStore
{
    /// <summary>
    /// Creates an instance, with its first timeline entries, in one atomic operation that also checks the exit
    /// remembered for its journey and key, and ends what the start replaces or supersedes.
    /// </summary>
    /// <remarks>
    /// In order, atomically: when an exit is remembered for the journey and key and refuses the start
    /// (<see cref="JourneyStart.IsRefusedBy"/>), the store keeps <see cref="JourneyStart.Refusal"/> instead and returns
    /// <see cref="StartOutcome.Refused"/>; when the journey has an active instance for the key, it ends it with
    /// <see cref="JourneyStart.Replace"/>, or returns <see cref="StartOutcome.AlreadyActive"/> without one; then it
    /// creates the instance and ends each of <see cref="JourneyStart.Supersede"/>. Instances to end that a worker holds
    /// are waited for, as <see cref="UpdateActiveAsync"/> does. Concurrent starts for one key leave exactly one active
    /// instance, and a start concurrent with <see cref="ExitAsync"/> for its key either sees the exit or is ended by it.
    /// </remarks>
    /// <param name="start">The new instance, the exit check, and what ends with it.</param>
    /// <param name="cancellationToken">Cancels the wait and the write.</param>
    /// <returns>Whether it was created, refused, or prevented by an active instance.</returns>
    ValueTask<StartOutcome> TryStartAsync(JourneyStart start, CancellationToken cancellationToken);

    /// <summary>
    /// Remembers an exit for its journey and key until it expires, whether or not an instance is active, and ends the
    /// active instance for that key with <paramref name="end"/>, in one atomic operation.
    /// </summary>
    /// <param name="exit">The exit to remember; a later one replaces an earlier one for the same journey and key.</param>
    /// <param name="end">Given the active instance, the transition that ends it, or <see langword="null"/> to leave it; runs exclusively, must be quick.</param>
    /// <param name="cancellationToken">Cancels the wait and the write.</param>
    /// <returns>The transition persisted, or <see langword="null"/> when no active instance was changed.</returns>
    ValueTask<JourneyTransition?> ExitAsync(RememberedExit exit, Func<JourneyInstance, JourneyTransition?> end, CancellationToken cancellationToken);

    /// <summary>
    /// Changes the active instance of a journey for a correlation key, atomically, once no claim holds it.
    /// </summary>
    /// <param name="journeyName">The journey.</param>
    /// <param name="correlationKey">The key.</param>
    /// <param name="update">
    /// Given the current state, returns the transition to persist, or <see langword="null"/> to change nothing.
    /// Runs while the store holds the instance exclusively: it must be quick and must not block.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait and the write.</param>
    /// <returns>The transition persisted, or <see langword="null"/> when there was no active instance or no change.</returns>
    ValueTask<JourneyTransition?> UpdateActiveAsync(
        string journeyName,
        string correlationKey,
        Func<JourneyInstance, JourneyTransition?> update,
        CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="maxCount"/> instances due at or before <paramref name="now"/>, earliest first,
    /// skipping instances another worker holds. Due means a wake-up at or before now: an active instance's next step,
    /// or an ended instance's exit actions still to run (an ended instance without them has no wake-up).
    /// </summary>
    /// <param name="now">The current instant; nothing due later is claimed.</param>
    /// <param name="maxCount">The most instances to claim.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The claims; each must be committed or disposed.</returns>
    ValueTask<IReadOnlyList<IJourneyClaim>> ClaimDueAsync(Instant now, int maxCount, CancellationToken cancellationToken);

    /// <summary>Claims one instance if it has a wake-up at or before <paramref name="now"/> and is not held.</summary>
    /// <param name="id">The instance.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The claim, or <see langword="null"/>.</returns>
    ValueTask<IJourneyClaim?> TryClaimAsync(JourneyInstanceId id, Instant now, CancellationToken cancellationToken);

    /// <summary>Returns the earliest wake-up of any instance not held by a worker, or <see langword="null"/> when none waits.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<Instant?> GetNextWakeUpAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Pauses a journey (or changes a pause): from now on no instance of the journey is claimed, by any worker, until it
    /// resumes; <see cref="ClaimDueAsync"/>, <see cref="TryClaimAsync"/> and <see cref="GetNextWakeUpAsync"/> skip its
    /// instances. A step already claimed finishes.
    /// </summary>
    /// <param name="pause">The journey and how it is paused.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SetPauseAsync(JourneyPause pause, CancellationToken cancellationToken);

    /// <summary>
    /// Resumes a paused journey: its instances are claimed again, and each active one whose step fell due while the
    /// journey was paused gets a <see cref="JourneyRecordKind.Held"/> entry saying from when to when.
    /// </summary>
    /// <param name="journeyName">The journey.</param>
    /// <param name="resumedAt">When it resumes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The pause that ended and the instances it held, or <see langword="null"/> when the journey was not paused.</returns>
    ValueTask<PauseEnd?> ClearPauseAsync(string journeyName, Instant resumedAt, CancellationToken cancellationToken);

    /// <summary>Returns the journeys paused now.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<JourneyPause>> GetPausesAsync(CancellationToken cancellationToken);

    /// <summary>Returns an instance by id, active or ended, or <see langword="null"/>.</summary>
    /// <param name="id">The instance.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<JourneyInstance?> GetAsync(JourneyInstanceId id, CancellationToken cancellationToken);

    /// <summary>Returns the instances, active or ended, that match every given criterion, oldest first.</summary>
    /// <param name="query">The criteria.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<JourneyInstance>> FindAsync(JourneyInstanceQuery query, CancellationToken cancellationToken);

    /// <summary>Returns an instance's timeline in the order it was written.</summary>
    /// <param name="id">The instance.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<JourneyRecord>> GetTimelineAsync(JourneyInstanceId id, CancellationToken cancellationToken);

    /// <summary>
    /// Returns the timeline entries, since <paramref name="since"/>, of every instance of a customer across all
    /// journeys: for frequency caps and incentive-abuse guards.
    /// </summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="since">Only entries at or after this instant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<JourneyRecord>> GetCustomerRecordsAsync(string customerId, Instant since, CancellationToken cancellationToken);

    /// <summary>
    /// Removes every instance of a customer, active or ended, with its trigger event and timeline (the right to
    /// erasure), and the exits remembered for the customer or for the keys of the customer's instances. Waits for claims
    /// in progress on those instances to end first.
    /// </summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="cancellationToken">Cancels the wait and the removal.</param>
    /// <returns>How many instances were removed.</returns>
    ValueTask<int> EraseCustomerAsync(string customerId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes, with their trigger events and timelines, up to <paramref name="maxCount"/> instances that ended
    /// (completed, converted, exited or failed) before <paramref name="endedBefore"/> and have nothing left to run (no
    /// wake-up: their exit actions are done), earliest ended first: the retention purge. Active instances, and ended
    /// ones a claim holds, are never removed; exits remembered are left to expire on their own.
    /// </summary>
    /// <remarks>
    /// Each call is one short batch, so the engine's purge, which calls it until a batch removes fewer than
    /// <paramref name="maxCount"/>, never holds up due steps for long. The default removes nothing: a store without it
    /// keeps finished journeys forever (the conformance kit checks it).
    /// </remarks>
    /// <param name="endedBefore">Only instances whose <see cref="JourneyInstance.EndedAt"/> is before this instant.</param>
    /// <param name="maxCount">The most instances to remove in this batch.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>How many instances were removed.</returns>
    ValueTask<int> PurgeEndedAsync(Instant endedBefore, int maxCount, CancellationToken cancellationToken) => ValueTask.FromResult(0);

    /// <summary>Streams the timeline entries of every instance that match the query, by time.</summary>
    /// <param name="query">The criteria.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<JourneyRecord> ReadRecordsAsync(JourneyRecordQuery query, CancellationToken cancellationToken);
}
