using System.Diagnostics;
using System.Diagnostics.Metrics;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Telemetry;

/// <summary>
/// The library's metrics and traces, named <c>Recovery.Journeys</c> so that OpenTelemetry picks them up with
/// <c>AddMeter("Recovery.Journeys")</c> and <c>AddSource("Recovery.Journeys")</c>. Tags carry names and ids only
/// (journey, step, channel, outcome, instance id), never a customer's name, e-mail address or phone number.
/// </summary>
/// <remarks>
/// The meter and the activity source are static, as the BCL's own are, so that a listener sees every engine of the
/// process; every measurement is tagged with its journey.
/// </remarks>
public static class JourneyTelemetry
{
    /// <summary>The name of the meter and of the activity source: <c>Recovery.Journeys</c>.</summary>
    public const string Name = "Recovery.Journeys";

    /// <summary>Tag: the journey's name.</summary>
    public const string JourneyTag = "journey.name";

    /// <summary>Tag: the journey definition's version.</summary>
    public const string VersionTag = "journey.version";

    /// <summary>Tag: the step's id.</summary>
    public const string StepTag = "journey.step";

    /// <summary>Tag: the channel (<c>push</c>, <c>email</c>, <c>sms|email</c> for a fallback step).</summary>
    public const string ChannelTag = "journey.channel";

    /// <summary>Tag: what came of a step (<c>sent</c>, <c>skipped</c>, <c>failed</c>, <c>retry_scheduled</c>, ...) or how an instance ended (<c>completed</c>, <c>converted</c>, <c>exited</c>).</summary>
    public const string OutcomeTag = "journey.outcome";

    /// <summary>Tag: the instance's id.</summary>
    public const string InstanceTag = "journey.instance_id";

    /// <summary>Tag: the group an instance entered in: <c>journey</c> or <c>holdout</c>, for journeys with a holdout.</summary>
    public const string GroupTag = "journey.group";

    private static readonly string? Version = typeof(JourneyTelemetry).Assembly.GetName().Version?.ToString();

    internal static readonly ActivitySource Source = new(Name, Version);

    internal static readonly Meter Meter = new(Name, Version);

    internal static readonly Counter<long> Entered = Meter.CreateCounter<long>(
        "recovery.journeys.entered", "{instance}", "Journey instances started.");

    internal static readonly Counter<long> Exited = Meter.CreateCounter<long>(
        "recovery.journeys.exited", "{instance}", "Journey instances ended, by outcome: completed, converted or exited.");

    internal static readonly Counter<long> MessagesSent = Meter.CreateCounter<long>(
        "recovery.journeys.messages.sent", "{message}", "Messages handed to a channel successfully, by journey, step and channel.");

    internal static readonly Counter<long> MessagesFailed = Meter.CreateCounter<long>(
        "recovery.journeys.messages.failed", "{message}", "Messages that failed for good (after their retries), by journey, step and channel.");

    internal static readonly Counter<long> MessagesSkipped = Meter.CreateCounter<long>(
        "recovery.journeys.messages.skipped", "{message}", "Messages not sent on purpose (unreachable, opted out, holdout), by journey, step and channel.");

    internal static readonly Histogram<double> StepLateness = Meter.CreateHistogram<double>(
        "recovery.journeys.step.lateness", "s", "How long after its due time a step ran: run time minus due time.");

    /// <summary>The name of the activity of one step run.</summary>
    internal const string StepActivityName = "Recovery.Journeys.RunStep";

    internal static string OutcomeOf(JourneyRecordKind kind) => kind switch
    {
        JourneyRecordKind.RetryScheduled => "retry_scheduled",
        JourneyRecordKind.CouponIssued => "coupon_issued",
        JourneyRecordKind.CouponRaised => "coupon_raised",
        JourneyRecordKind.CouponRevoked => "coupon_revoked",
        JourneyRecordKind.CouponWithheld => "coupon_withheld",
        JourneyRecordKind.TimedOut => "timed_out",
        JourneyRecordKind.WaitRestarted => "wait_restarted",
        JourneyRecordKind.ReentryIgnored => "reentry_ignored",
        _ => kind.ToString().ToLowerInvariant(),
    };

    internal static string OutcomeOf(JourneyStatus status) => status.ToString().ToLowerInvariant();
}
