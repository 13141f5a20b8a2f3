using NodaTime;

namespace Recovery.Journeys.Scheduling;

/// <summary>
/// Decides when due journey work runs. The default, <see cref="InProcessJourneyScheduler"/>, sleeps until the next
/// wake-up and is woken early when earlier work is scheduled; a clustered scheduler (Quartz.NET) fires one job per
/// wake-up instead.
/// </summary>
/// <remarks>The store stays the source of truth: a scheduler only decides when to ask it for due work.</remarks>
public interface IJourneyScheduler
{
    /// <summary>Told that an instance is due at <paramref name="wakeUpAt"/>, after the store committed it.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="wakeUpAt">When its next step is due.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask ScheduleAsync(JourneyInstanceId instanceId, Instant wakeUpAt, CancellationToken cancellationToken);

    /// <summary>Told that an instance ended and needs no more wake-ups.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask CancelAsync(JourneyInstanceId instanceId, CancellationToken cancellationToken);

    /// <summary>Runs due work through <paramref name="dispatcher"/> until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="dispatcher">The engine.</param>
    /// <param name="cancellationToken">Stops the scheduler.</param>
    Task RunAsync(IJourneyDispatcher dispatcher, CancellationToken cancellationToken);
}

/// <summary>What a scheduler drives: the engine's single execution path.</summary>
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
