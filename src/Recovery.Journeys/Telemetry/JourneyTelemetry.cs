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

    /// <summary>The meter of engines created without an <see cref="IMeterFactory"/>; with one, each engine's meter comes from it.</summary>
    internal static readonly Meter Meter = new(Name, Version);

    /// <summary>The options of the meter an engine creates through an <see cref="IMeterFactory"/>.</summary>
    internal static MeterOptions MeterOptions => new(Name) { Version = Version };

    /// <summary>The name of the activity of one step run.</summary>
    internal const string StepActivityName = "Recovery.Journeys.RunStep";

    /// <summary>The name of the activity of one event published to the engine; the step activities of the instances it starts link to it.</summary>
    internal const string PublishActivityName = "Recovery.Journeys.Publish";

    /// <summary>Tag: the type of the event published.</summary>
    public const string EventTypeTag = "journey.event_type";

    /// <summary>Tag: how many instances a publish started.</summary>
    public const string StartedTag = "journey.instances_started";

    /// <summary>Tag: how many instances a publish ended.</summary>
    public const string EndedTag = "journey.instances_ended";

    /// <summary>
    /// The instance variable that keeps the W3C trace context of the publish that started it, so each step's activity
    /// links to it (the steps run later, in traces of their own).
    /// </summary>
    internal const string TraceParentVariable = "trace.parent";

    /// <summary>The variables a new instance starts with: the publish activity's context when one is recorded.</summary>
    internal static System.Collections.Immutable.ImmutableDictionary<string, string> StartVariables() =>
        Activity.Current is { Recorded: true, OperationName: PublishActivityName, Id: { } id } && Activity.Current.Source == Source
            ? System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add(TraceParentVariable, id)
            : System.Collections.Immutable.ImmutableDictionary<string, string>.Empty;

    /// <summary>The link to the publish that started an instance, if its context was kept.</summary>
    internal static ActivityLink[]? LinksOf(JourneyInstance instance) =>
        instance.Variables.TryGetValue(TraceParentVariable, out var parent) && ActivityContext.TryParse(parent, null, out var context)
            ? [new ActivityLink(context)]
            : null;

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

    /// <summary>The outcome tag of an ended instance: a constant for each status (this runs at every end, where
    /// <c>ToString().ToLowerInvariant()</c> boxed the status and made a new string each time).</summary>
    internal static string OutcomeOf(JourneyStatus status) => status switch
    {
        JourneyStatus.Active => "active",
        JourneyStatus.Completed => "completed",
        JourneyStatus.Converted => "converted",
        JourneyStatus.Exited => "exited",
        JourneyStatus.Failed => "failed",
        _ => status.ToString().ToLowerInvariant(),
    };
}
