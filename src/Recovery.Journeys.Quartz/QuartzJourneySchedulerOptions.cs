using NodaTime;

namespace Recovery.Journeys.Quartz;

/// <summary>Settings of <see cref="QuartzJourneyScheduler"/>.</summary>
/// <remarks>
/// Checked by <c>UseQuartzScheduler</c> when the host starts, and by the scheduler's constructor, every problem listed
/// at once. The scheduler keeps a copy: changing the object after the scheduler was created has no effect.
/// </remarks>
public sealed class QuartzJourneySchedulerOptions
{
    /// <summary>
    /// The Quartz scheduler that holds the wake-ups: the name given to <c>services.AddQuartz("name", ...)</c>, or
    /// <see langword="null"/> for the default scheduler (<c>services.AddQuartz(...)</c>).
    /// </summary>
    /// <value>The default is <see langword="null"/>: the default scheduler.</value>
    public string? SchedulerName { get; set; }

    /// <summary>
    /// The Quartz group of the wake-up jobs and triggers. Each journey instance has one job and one trigger in it, both
    /// named by the instance id; the group keeps them apart from the shop's own jobs.
    /// </summary>
    /// <value>The default is <c>recovery-journeys</c>.</value>
    public string Group { get; set; } = "recovery-journeys";

    /// <summary>
    /// How often each app instance asks the journey store for steps that are due but were not run: wake-ups lost
    /// between the store's commit and the Quartz schedule (a crash in between, Quartz's database unreachable at that
    /// moment), and triggers that fired while the instance was busy with another change. A step whose wake-up was
    /// lost runs at most this long after its due time. The first sweep runs as the scheduler starts.
    /// </summary>
    /// <value>The default is 1 minute. At least 1 second.</value>
    public Duration ReconciliationInterval { get; set; } = Duration.FromMinutes(1);

    /// <summary>
    /// How long a fired wake-up job waits for this app instance's journey engine to start (<c>RunAsync</c>) before it
    /// gives up and leaves the step to the reconciliation sweep. It only matters while the app starts.
    /// </summary>
    /// <value>The default is 1 minute. Positive.</value>
    public Duration EngineStartTimeout { get; set; } = Duration.FromMinutes(1);

    /// <summary>A copy of every option, one added later included.</summary>
    internal QuartzJourneySchedulerOptions Copy() => (QuartzJourneySchedulerOptions)MemberwiseClone();
}
