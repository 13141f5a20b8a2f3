using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>One run of one step: its context, the engine's services, and where a retried step stands.</summary>
/// <remarks>
/// A value, not an object: it only carries these to the step's executor (and its attempts' state), so a step run
/// allocates nothing for it. Nothing keeps it past the step, and a copy holds the same references.
/// </remarks>
internal readonly record struct StepRun<TEvent>(StepContext<TEvent> Context, StepServices Services, int Attempt, string? Progress)
{
    /// <summary>The claim the step runs under, which frequency caps lock the customer through; none for a preview.</summary>
    public IJourneyClaim? Claim { get; init; }

    public RetryOptions Retry => Services.Options.Retry;

    /// <summary>Whether a transient failure of the given attempt (counting from 0) is retried.</summary>
    public bool CanRetry(int attempt) => attempt + 1 < Retry.MaxAttempts;

    /// <summary>Runs the step again later, after a transient failure of the given attempt.</summary>
    public StepResult RetryLater(IReadOnlyList<DeliveryOutcome> deliveries, int attempt, string? progress) =>
        new(deliveries) { RunAgainAt = Context.Now + Retry.DelayAfter(attempt), NextAttempt = attempt + 1, Progress = progress };

    public DeliveryOutcome Retrying(string channel, int attempt, string? detail) =>
        new(JourneyRecordKind.RetryScheduled, channel, $"{Attempts(attempt)} failed: {detail}; retrying in {DurationText.Format(Retry.DelayAfter(attempt))}");

    public DeliveryOutcome Final(string channel, int attempt, AttemptResult result) => result.Kind switch
    {
        AttemptKind.Sent => new(JourneyRecordKind.Sent, channel, null),
        AttemptKind.Skipped => new(JourneyRecordKind.Skipped, channel, result.Detail),
        AttemptKind.Transient when Retry.MaxAttempts > 1 => new(JourneyRecordKind.Failed, channel, $"{Attempts(attempt)} failed: {result.Detail}"),
        _ => new(JourneyRecordKind.Failed, channel, result.Detail),
    };

    private string Attempts(int attempt) => $"attempt {attempt + 1} of {Retry.MaxAttempts}";
}
