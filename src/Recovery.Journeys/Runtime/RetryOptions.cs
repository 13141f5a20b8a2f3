using NodaTime;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// How a transient failure (a channel, action or content provider that throws) is retried: the step is
/// rescheduled, so retries survive restarts, never block a worker, and run on the fake clock in tests.
/// </summary>
public sealed class RetryOptions
{
    /// <summary>How many times a channel is tried in all before its failure is final.</summary>
    /// <value>The default is 3 (the first try and two retries). Between 1 and 100.</value>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The delay before the first retry.</summary>
    /// <value>The default is 1 minute.</value>
    public Duration FirstDelay { get; set; } = Duration.FromMinutes(1);

    /// <summary>What each further delay is multiplied by.</summary>
    /// <value>The default is 2 (1 min, 2 min, 4 min, ...). At least 1.</value>
    public double BackoffFactor { get; set; } = 2;

    /// <summary>The longest delay between two tries.</summary>
    /// <value>The default is 1 hour.</value>
    public Duration MaxDelay { get; set; } = Duration.FromHours(1);

    /// <summary>The delay after the given failed attempt (0 for the first try).</summary>
    /// <param name="failedAttempt">The attempt that failed, counting from 0.</param>
    public Duration DelayAfter(int failedAttempt)
    {
        var delay = FirstDelay.TotalTicks * Math.Pow(BackoffFactor, failedAttempt);
        return delay >= MaxDelay.TotalTicks ? MaxDelay : Duration.FromTicks((long)delay);
    }

    /// <summary>A copy, so that later changes to the caller's object do not reach a running engine.</summary>
    internal RetryOptions Clone() => (RetryOptions)MemberwiseClone();
}
