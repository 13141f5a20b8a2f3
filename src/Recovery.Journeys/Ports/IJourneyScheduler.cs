using NodaTime;
using Recovery.Journeys.Scheduling;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Ports;

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
