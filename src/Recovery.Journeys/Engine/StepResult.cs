using NodaTime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Engine;

/// <summary>One channel's part in a step run: sent, skipped, failed for good, or failed for now with a retry scheduled.</summary>
internal readonly record struct DeliveryOutcome(JourneyRecordKind Kind, string Channel, string? Detail);

/// <summary>
/// What running a step came to: the outcome of each channel it tried and, when a transient failure is to be
/// retried, when to run the step again and where it stands.
/// </summary>
internal sealed record StepResult(IReadOnlyList<DeliveryOutcome> Deliveries)
{
    /// <summary>When set, the step runs again after this delay instead of the journey moving on.</summary>
    public Duration? RetryAfter { get; init; }

    /// <summary>The step's progress to resume from on the retry (which channels are done).</summary>
    public string? Progress { get; init; }

    /// <summary>The attempt number the retry will be.</summary>
    public int NextAttempt { get; init; }

    public bool AnySent => Deliveries.Any(d => d.Kind == JourneyRecordKind.Sent);

    /// <summary>Whether the step ended having failed: nothing sent and at least one channel failed for good.</summary>
    public bool Failed => RetryAfter is null && !AnySent && Deliveries.Any(d => d.Kind == JourneyRecordKind.Failed);
}
