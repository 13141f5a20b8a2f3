using NodaTime;

namespace Recovery.Journeys.Storage;

/// <summary>What a timeline entry says happened.</summary>
public enum JourneyRecordKind
{
    /// <summary>The trigger started the instance.</summary>
    Entered = 0,

    /// <summary>A step's message or action was carried out.</summary>
    Sent = 1,

    /// <summary>A step was deliberately not carried out; <see cref="JourneyRecord.Detail"/> says why.</summary>
    Skipped = 2,

    /// <summary>A step's channel or action failed; <see cref="JourneyRecord.Detail"/> holds the error.</summary>
    Failed = 3,

    /// <summary>A trigger for a key that already had an active instance was ignored (re-entry policy).</summary>
    ReentryIgnored = 4,

    /// <summary>The goal event arrived: the instance converted. <see cref="JourneyRecord.StepId"/> is the last step sent.</summary>
    Converted = 5,

    /// <summary>The instance stopped early; <see cref="JourneyRecord.Detail"/> says why.</summary>
    Exited = 6,

    /// <summary>The instance ran every step.</summary>
    Completed = 7,

    /// <summary>A channel, action or content provider failed for now; the step runs again later. <see cref="JourneyRecord.Detail"/> holds the error and the delay.</summary>
    RetryScheduled = 8,
}

/// <summary>One entry of an instance's timeline. Holds ids and reasons only, never personal data.</summary>
/// <param name="InstanceId">The instance the entry belongs to.</param>
/// <param name="JourneyName">The instance's journey.</param>
/// <param name="At">When it happened.</param>
/// <param name="Kind">What happened.</param>
public sealed record JourneyRecord(JourneyInstanceId InstanceId, string JourneyName, Instant At, JourneyRecordKind Kind)
{
    /// <summary>The step concerned, if any; for a conversion, the last step sent before it.</summary>
    public string? StepId { get; init; }

    /// <summary>The channel of the step (<c>push</c>, <c>email</c>, <c>action</c>), if any.</summary>
    public string? Channel { get; init; }

    /// <summary>A reason (skipped, exited) or an error (failed).</summary>
    public string? Detail { get; init; }

    /// <summary>The value of a conversion (the order amount), when the exit rule selects one.</summary>
    public decimal? Value { get; init; }
}
