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

    /// <summary>A step was put off (quiet hours, a frequency cap, the customer still active); <see cref="JourneyRecord.Detail"/> says why and until when.</summary>
    Deferred = 9,

    /// <summary>A branch chose its path; <see cref="JourneyRecord.Detail"/> is <c>then</c> or <c>else</c>.</summary>
    Branched = 10,

    /// <summary>The instance began waiting for an event; <see cref="JourneyRecord.Detail"/> names it and the deadline.</summary>
    Waiting = 11,

    /// <summary>The awaited event arrived in time; the instance goes on along the event's path.</summary>
    Resumed = 12,

    /// <summary>The awaited event did not arrive in time; the instance goes on along the timeout's path.</summary>
    TimedOut = 13,

    /// <summary>New activity restarted the wait before the next step (debounce); <see cref="JourneyRecord.Detail"/> names the event.</summary>
    WaitRestarted = 14,

    /// <summary>A coupon was issued to the customer; <see cref="JourneyRecord.Detail"/> holds its name (never its code).</summary>
    CouponIssued = 15,

    /// <summary>The coupon's offer was raised; <see cref="JourneyRecord.Detail"/> holds the new discount.</summary>
    CouponRaised = 16,

    /// <summary>The coupon was revoked at the host's coupon service.</summary>
    CouponRevoked = 17,

    /// <summary>No coupon was issued (incentive-abuse guard); <see cref="JourneyRecord.Detail"/> says why.</summary>
    CouponWithheld = 18,

    /// <summary>
    /// The instance was put in a group. At an experiment's step, <see cref="JourneyRecord.StepId"/> is the experiment
    /// and <see cref="JourneyRecord.Detail"/> the variant; at the start of a journey with a holdout,
    /// <see cref="JourneyRecord.Channel"/> is <c>holdout</c> and <see cref="JourneyRecord.Detail"/> <c>holdout</c> or <c>journey</c>.
    /// </summary>
    Assigned = 19,

    /// <summary>
    /// A trigger did not enter: an exit was remembered for its key (the order was already paid), or it happened too
    /// long ago. <see cref="JourneyRecord.Detail"/> says why. The only entry of an instance that never started.
    /// </summary>
    Refused = 20,

    /// <summary>
    /// The step fell due while its journey was paused and was held until it resumed; <see cref="JourneyRecord.Detail"/>
    /// says from when to when. The step then runs, subject to its lateness limit.
    /// </summary>
    Held = 21,
}

/// <summary>One entry of an instance's timeline.</summary>
/// <remarks>
/// The library writes ids and reasons only. A <see cref="JourneyRecordKind.Failed"/> entry's detail holds the failing
/// exception's type and message, as the channel wrote it: keep personal data out of your channels' and providers' error
/// messages (the SMTP and webhook channels do). Timelines are removed with the customer by <c>EraseCustomerAsync</c>.
/// </remarks>
/// <param name="InstanceId">The instance the entry belongs to.</param>
/// <param name="JourneyName">The instance's journey.</param>
/// <param name="At">When it happened.</param>
/// <param name="Kind">What happened.</param>
public sealed record JourneyRecord(JourneyInstanceId InstanceId, string JourneyName, Instant At, JourneyRecordKind Kind)
{
    // Boxed: only conversions carry a value, and a decimal? field would take 24 bytes in every entry of every timeline.
    private readonly object? _value;

    /// <summary>The step concerned, if any; for a conversion, the last step sent before it.</summary>
    public string? StepId { get; init; }

    /// <summary>The channel of the step (<c>push</c>, <c>email</c>, <c>action</c>), if any.</summary>
    public string? Channel { get; init; }

    /// <summary>A reason (skipped, exited) or an error (failed).</summary>
    public string? Detail { get; init; }

    /// <summary>The value of a conversion (the order amount), when the exit rule selects one.</summary>
    public decimal? Value { get => (decimal?)_value; init => _value = value; }

    /// <summary>The value as kept, boxed (or <see langword="null"/>): for a store that keeps entries in a compact form and writes them out equal.</summary>
    internal object? BoxedValue { get => _value; init => _value = value; }
}
