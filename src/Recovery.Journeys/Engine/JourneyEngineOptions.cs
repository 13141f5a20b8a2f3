using System.Text.Json;
using Microsoft.Extensions.Options;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Engine;

/// <summary>Settings of <see cref="JourneyEngine"/>.</summary>
public sealed class JourneyEngineOptions
{
    /// <summary>How many due instances the engine claims from the store at a time.</summary>
    /// <value>The default is 100. Between 1 and 10,000.</value>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How many steps run at once, so that a slow channel does not hold up other journeys. Use 1 for a strict,
    /// deterministic order (the test harness does). Steps that complete without waiting run one after another; a step
    /// that awaits I/O lets the next ones start meanwhile, so channels must await their I/O, not block their thread.
    /// </summary>
    /// <value>The default is 16. Between 1 and 1,024.</value>
    public int MaxConcurrentSteps { get; set; } = 16;

    /// <summary>How transient failures are retried.</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>How long a channel, action or content provider may take before the attempt counts as a transient failure.</summary>
    /// <value>The default is 30 seconds.</value>
    public NodaTime.Duration SendTimeout { get; set; } = NodaTime.Duration.FromSeconds(30);

    /// <summary>
    /// Caps on how many messages a customer gets across every journey of the engine, per period and channel (or
    /// overall). A capped step is deferred or skipped, per each cap's <see cref="Rules.FrequencyCap.Policy"/>.
    /// </summary>
    /// <value>Empty by default: no cap.</value>
    public IList<Rules.FrequencyCap> FrequencyCaps { get; } = [];

    /// <summary>How trigger events are written to durable stores.</summary>
    /// <value>The default is <see cref="JourneyJson.DefaultOptions"/>: web defaults with NodaTime support.</value>
    public JsonSerializerOptions EventSerializerOptions { get; set; } = JourneyJson.DefaultOptions;
}

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

        if (options.EventSerializerOptions is null)
        {
            failures.Add("JourneyEngineOptions.EventSerializerOptions must not be null.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
