using Microsoft.Extensions.Options;

namespace Recovery.Journeys.Runtime;

/// <summary>Checks <see cref="JourneyEngineOptions"/>, reporting every failure at once.</summary>
internal sealed class JourneyEngineOptionsValidator : IValidateOptions<JourneyEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, JourneyEngineOptions options)
    {
        var failures = new List<string>();
        if (options.BatchSize is < 1 or > 10_000)
        {
            failures.Add($"JourneyEngineOptions.BatchSize must be between 1 and 10000, was {options.BatchSize}.");
        }

        if (options.MaxConcurrentSteps is < 1 or > 1_024)
        {
            failures.Add($"JourneyEngineOptions.MaxConcurrentSteps must be between 1 and 1024, was {options.MaxConcurrentSteps}.");
        }

        if (options.Retry is null)
        {
            failures.Add("JourneyEngineOptions.Retry must not be null.");
        }
        else
        {
            if (options.Retry.MaxAttempts is < 1 or > 100)
            {
                failures.Add($"JourneyEngineOptions.Retry.MaxAttempts must be between 1 and 100, was {options.Retry.MaxAttempts}.");
            }

            if (options.Retry.FirstDelay <= NodaTime.Duration.Zero || options.Retry.MaxDelay < options.Retry.FirstDelay)
            {
                failures.Add("JourneyEngineOptions.Retry.FirstDelay must be positive and at most MaxDelay.");
            }

            if (!(options.Retry.BackoffFactor >= 1))
            {
                failures.Add($"JourneyEngineOptions.Retry.BackoffFactor must be at least 1, was {options.Retry.BackoffFactor}.");
            }
        }

        foreach (var cap in options.FrequencyCaps)
        {
            if (cap.MaxMessages < 1 || cap.Period <= NodaTime.Duration.Zero)
            {
                failures.Add($"JourneyEngineOptions.FrequencyCaps: '{cap}' needs at least 1 message and a positive period.");
            }
        }

        if (options.SendTimeout <= NodaTime.Duration.Zero)
        {
            failures.Add("JourneyEngineOptions.SendTimeout must be positive.");
        }

        if (options.Retention is { } retention && retention < NodaTime.Duration.FromDays(1))
        {
            failures.Add($"JourneyEngineOptions.Retention must be at least 1 day when set, was {retention}.");
        }

        if (options.PurgeInterval <= NodaTime.Duration.Zero)
        {
            failures.Add("JourneyEngineOptions.PurgeInterval must be positive.");
        }

        if (options.RedactError is null)
        {
            failures.Add("JourneyEngineOptions.RedactError must not be null.");
        }

        if (options.EventSerializerOptions is null)
        {
            failures.Add("JourneyEngineOptions.EventSerializerOptions must not be null.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
