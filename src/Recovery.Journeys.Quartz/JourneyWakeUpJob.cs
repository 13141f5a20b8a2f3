using Quartz;

namespace Recovery.Journeys.Quartz;

/// <summary>
/// The Quartz job of one journey instance (its key's name is the instance id): runs the instance's due step through
/// this app instance's engine. Quartz's container job factory builds it with the registered <see cref="QuartzJourneyScheduler"/>.
/// </summary>
internal sealed class JourneyWakeUpJob(QuartzJourneyScheduler scheduler) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        if (!JourneyInstanceIdText.TryParse(context.JobDetail.Key.Name, out var instanceId))
        {
            // Not one of ours (the group is shared with something else); nothing to run.
            return;
        }

        await scheduler.RunWakeUpAsync(instanceId, context.ScheduledFireTimeUtc, cancellationToken).ConfigureAwait(false);
    }
}
