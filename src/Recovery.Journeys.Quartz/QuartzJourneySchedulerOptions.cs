using Microsoft.Extensions.Options;
using NodaTime;

namespace Recovery.Journeys.Quartz;

/// <summary>Settings of <see cref="QuartzJourneyScheduler"/>.</summary>
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
}

/// <summary>Checks <see cref="QuartzJourneySchedulerOptions"/>, reporting every failure at once.</summary>
internal sealed class QuartzJourneySchedulerOptionsValidator : IValidateOptions<QuartzJourneySchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, QuartzJourneySchedulerOptions options)
    {
        var failures = new List<string>();
        if (options.SchedulerName is not null && string.IsNullOrWhiteSpace(options.SchedulerName))
        {
            failures.Add("QuartzJourneySchedulerOptions.SchedulerName must be null (the default scheduler) or a scheduler's name, was blank.");
        }

        if (string.IsNullOrWhiteSpace(options.Group))
        {
            failures.Add("QuartzJourneySchedulerOptions.Group must be set, e.g. \"recovery-journeys\".");
        }

        if (options.ReconciliationInterval < Duration.FromSeconds(1))
        {
            failures.Add($"QuartzJourneySchedulerOptions.ReconciliationInterval must be at least 1 second, was {options.ReconciliationInterval}.");
        }

        if (options.EngineStartTimeout <= Duration.Zero)
        {
            failures.Add($"QuartzJourneySchedulerOptions.EngineStartTimeout must be positive, was {options.EngineStartTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
