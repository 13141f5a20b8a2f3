using Microsoft.Extensions.Options;
using NodaTime;

namespace Recovery.Journeys.Scheduling;

/// <summary>Checks <see cref="InProcessSchedulerOptions"/>, reporting every failure at once.</summary>
internal sealed class InProcessSchedulerOptionsValidator : IValidateOptions<InProcessSchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, InProcessSchedulerOptions options)
    {
        var failures = new List<string>();
        if (options.PollInterval <= Duration.Zero)
        {
            failures.Add($"InProcessSchedulerOptions.PollInterval must be positive, was {Time.DurationText.Format(options.PollInterval)}.");
        }

        if (options.ErrorBackoff <= Duration.Zero)
        {
            failures.Add($"InProcessSchedulerOptions.ErrorBackoff must be positive, was {Time.DurationText.Format(options.ErrorBackoff)}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
