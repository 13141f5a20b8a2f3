using Microsoft.Extensions.Options;
using NodaTime;

namespace Recovery.Journeys.Quartz;

/// <summary>Checks <see cref="QuartzJourneySchedulerOptions"/>, reporting every failure at once.</summary>
internal sealed class QuartzJourneySchedulerOptionsValidator : IValidateOptions<QuartzJourneySchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, QuartzJourneySchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
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
