using NodaTime;

namespace Recovery.Journeys.Reports;

/// <summary>
/// What a journey did for the instances that entered it in a period, with everything that has happened to them up to
/// when the report is made: entries, what each message step sent, skipped and failed on each channel, conversions and
/// the revenue they brought, each experiment's variants and the holdout compared.
/// </summary>
/// <remarks>Immutable. Made by <see cref="JourneyReports.CreateAsync"/> or <c>JourneyEngine.ReportAsync</c>; exported with <see cref="JourneyReportExport"/>.</remarks>
public sealed record JourneyReport
{
    /// <summary>The journey.</summary>
    public required string JourneyName { get; init; }

    /// <summary>The start of the period (inclusive), or <see langword="null"/> for no bound.</summary>
    public Instant? From { get; init; }

    /// <summary>The end of the period (exclusive), or <see langword="null"/> for no bound.</summary>
    public Instant? To { get; init; }

    /// <summary>
    /// Since when the report is complete: instances that ended before this instant may have been removed by the
    /// retention purge (<see cref="Runtime.JourneyEngineOptions.Retention"/>), so a period that starts earlier counts
    /// only what is still kept. <see langword="null"/> when nothing is purged (no retention, or a report made from a
    /// store directly).
    /// </summary>
    public Instant? CompleteSince { get; init; }

    /// <summary>The confidence level of every comparison in the report.</summary>
    public double ConfidenceLevel { get; init; }

    /// <summary>How many instances entered, holdout included.</summary>
    public int Entered { get; init; }

    /// <summary>
    /// How many triggers did not enter in the period: an exit was remembered for their key (the order was paid first),
    /// or they happened too long before they arrived. They are not counted in <see cref="Entered"/>.
    /// </summary>
    public int Refused { get; init; }

    /// <summary>How many of them converted (reached the journey's goal while in it), holdout included.</summary>
    public int Converted { get; init; }

    /// <summary>How many conversions are attributed to a message: they came within the attribution window after it.</summary>
    public int AttributedConversions { get; init; }

    /// <summary>Converted per entered; 0 when none entered.</summary>
    public double ConversionRate => Entered == 0 ? 0 : (double)Converted / Entered;

    /// <summary>The value of every conversion.</summary>
    public decimal Revenue { get; init; }

    /// <summary>The value of the conversions attributed to a message: the revenue the journey recovered.</summary>
    public decimal RecoveredRevenue { get; init; }

    /// <summary>How many instances ran every step (and their attribution window) without converting.</summary>
    public int Completed { get; init; }

    /// <summary>How many stopped early without converting (an exit event, a restart, a failure).</summary>
    public int Exited { get; init; }

    /// <summary>How many are still active: waiting for a step, or listening for their goal after the last one.</summary>
    public int Active => Entered - Converted - Completed - Exited;

    /// <summary>Each message step, in the journey's order.</summary>
    public IReadOnlyList<StepReport> Steps { get; init; } = [];

    /// <summary>Each coupon step (issue, raise, revoke), in the journey's order: what it issued, raised, revoked and withheld.</summary>
    public IReadOnlyList<CouponStepReport> CouponSteps { get; init; } = [];

    /// <summary>
    /// Each channel, over every message step. A conversion after a fan-out step that sent on several channels counts
    /// under each of them, so the channels' conversions can add up to more than <see cref="AttributedConversions"/>.
    /// </summary>
    public IReadOnlyList<ChannelReport> Channels { get; init; } = [];

    /// <summary>Each experiment, holdout instances left out.</summary>
    public IReadOnlyList<ExperimentReport> Experiments { get; init; } = [];

    /// <summary>Each day of the period that instances entered on, by their day of entry, oldest first.</summary>
    public IReadOnlyList<DayReport> Days { get; init; } = [];

    /// <summary>The zone <see cref="Days"/> are counted in.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The journey against its holdout, or <see langword="null"/> for a journey without one.</summary>
    public HoldoutReport? Holdout { get; init; }
}
