using Microsoft.Extensions.Logging;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Telemetry;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// What follows a committed transition, wherever it came from (a step, an exit, a resumed wait): the scheduler is told
/// of the instance's next wake-up, or that it ended, which is also logged and counted.
/// </summary>
internal sealed class CommitEffects(IJourneyScheduler? scheduler, WorkSignal work, ILogger logger, JourneyMetrics metrics)
{
    /// <summary>The engine's instruments.</summary>
    public JourneyMetrics Metrics => metrics;

    /// <summary>Acts on an instance's committed state.</summary>
    /// <param name="instance">The state committed.</param>
    /// <param name="wasActive">Whether the instance was active before (so that its end is logged and counted once, not again after its exit actions).</param>
    /// <param name="cancellationToken">Cancels the scheduler's call.</param>
    public ValueTask AfterCommitAsync(JourneyInstance instance, bool wasActive, CancellationToken cancellationToken)
    {
        if (wasActive && !instance.IsActive)
        {
            EngineLog.Ended(logger, instance.JourneyName, instance.Id, instance.Status);
            metrics.Exited.Add(1, new(JourneyTelemetry.JourneyTag, instance.JourneyName), new(JourneyTelemetry.OutcomeTag, JourneyTelemetry.OutcomeOf(instance.Status)));
        }

        if (instance.WakeUpAt is { } wakeUpAt)
        {
            work.Raise(wakeUpAt);
            return scheduler?.ScheduleAsync(instance.Id, wakeUpAt, cancellationToken) ?? ValueTask.CompletedTask;
        }

        return instance.IsActive ? ValueTask.CompletedTask : scheduler?.CancelAsync(instance.Id, cancellationToken) ?? ValueTask.CompletedTask;
    }
}
