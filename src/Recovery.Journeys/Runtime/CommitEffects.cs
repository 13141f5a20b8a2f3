using Microsoft.Extensions.Logging;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Telemetry;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// What follows a committed transition, wherever it came from (a step, an exit, a resumed wait): the scheduler is told
/// of the instance's next wake-up, or that it ended, which is also logged and counted.
/// </summary>
internal sealed class CommitEffects(IJourneyScheduler? scheduler, WorkSignal work, ILogger logger)
{
    public ValueTask AfterCommitAsync(JourneyInstance instance, CancellationToken cancellationToken)
    {
        if (instance.IsActive)
        {
            if (instance.WakeUpAt is not { } wakeUpAt)
            {
                return ValueTask.CompletedTask;
            }

            work.Raise();
            return scheduler?.ScheduleAsync(instance.Id, wakeUpAt, cancellationToken) ?? ValueTask.CompletedTask;
        }

        EngineLog.Ended(logger, instance.JourneyName, instance.Id, instance.Status);
        JourneyTelemetry.Exited.Add(1, new(JourneyTelemetry.JourneyTag, instance.JourneyName), new(JourneyTelemetry.OutcomeTag, JourneyTelemetry.OutcomeOf(instance.Status)));
        return scheduler?.CancelAsync(instance.Id, cancellationToken) ?? ValueTask.CompletedTask;
    }
}
