using NodaTime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Ports;

/// <summary>What a scheduler drives: the engine's single execution path.</summary>
/// <remarks>
/// Implemented by <c>JourneyEngine</c>; an integrator writing an <see cref="IJourneyScheduler"/> calls it, never
/// implements it. Every method is safe to call from several threads and several processes at once: the store's claims
/// make sure each due step runs once.
/// </remarks>
public interface IJourneyDispatcher
{
    /// <summary>Claims and runs every step due now, in due order, until none is left.</summary>
    /// <param name="cancellationToken">Stops after the steps in progress; their claims are released unchanged.</param>
    /// <returns>How many steps ran.</returns>
    ValueTask<int> RunDueAsync(CancellationToken cancellationToken);

    /// <summary>Runs one instance's step if it is due now and not held by another worker.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the run; the claim is released unchanged.</param>
    /// <returns>Whether a step ran.</returns>
    ValueTask<bool> RunInstanceAsync(JourneyInstanceId instanceId, CancellationToken cancellationToken);

    /// <summary>Returns when the earliest pending step is due, or <see langword="null"/> when nothing waits.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<Instant?> GetNextWakeUpAsync(CancellationToken cancellationToken);
}
