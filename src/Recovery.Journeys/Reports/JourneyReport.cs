using NodaTime;

namespace Recovery.Journeys.Reports;

/// <summary>Which instances a report covers, and at what confidence it compares groups.</summary>
public sealed record JourneyReportOptions
{
    /// <summary>Only instances that entered at or after this instant; all when <see langword="null"/> (the default).</summary>
    public Instant? From { get; init; }

    /// <summary>Only instances that entered before this instant; all when <see langword="null"/> (the default).</summary>
    public Instant? To { get; init; }

    /// <summary>The confidence level of the intervals; 1 minus it is the significance threshold of the tests.</summary>
    /// <value>The default is 0.95: 95 % intervals, significant below p = 0.05.</value>
    public double ConfidenceLevel { get; init; } = 0.95;
}

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

    /// <summary>The confidence level of every comparison in the report.</summary>
    public double ConfidenceLevel { get; init; }

    /// <summary>How many instances entered, holdout included.</summary>
    public int Entered { get; init; }

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

    /// <summary>Each channel, over every message step.</summary>
    public IReadOnlyList<ChannelReport> Channels { get; init; } = [];

    /// <summary>Each experiment, holdout instances left out.</summary>
    public IReadOnlyList<ExperimentReport> Experiments { get; init; } = [];

    /// <summary>The journey against its holdout, or <see langword="null"/> for a journey without one.</summary>
    public HoldoutReport? Holdout { get; init; }
}

/// <summary>One message step's figures. Sends, skips and failures are counted per channel delivery (a fan-out to two channels counts two).</summary>
/// <param name="StepId">The step.</param>
/// <param name="Channel">The step's channels in one word (<c>push</c>, <c>sms|email</c>).</param>
/// <param name="Sent">Messages sent.</param>
/// <param name="Skipped">Messages not sent on purpose (unreachable, opted out, a frequency cap), holdout left out.</param>
/// <param name="HeldOut">Messages not sent because the instance is in the holdout.</param>
/// <param name="Failed">Messages that failed for good.</param>
/// <param name="Converted">Conversions attributed to the step: it was the last one sent, within the attribution window.</param>
/// <param name="Revenue">Their value.</param>
/// <param name="Channels">The same figures per channel of the step.</param>
public sealed record StepReport(
    string StepId,
    string Channel,
    int Sent,
    int Skipped,
    int HeldOut,
    int Failed,
    int Converted,
    decimal Revenue,
    IReadOnlyList<ChannelReport> Channels);

/// <summary>One channel's figures, in one step or over the journey.</summary>
/// <param name="Channel">The channel (<c>push</c>, <c>email</c>, ...).</param>
/// <param name="Sent">Messages sent.</param>
/// <param name="Skipped">Messages not sent on purpose, holdout left out.</param>
/// <param name="HeldOut">Messages not sent because of the holdout.</param>
/// <param name="Failed">Messages that failed for good.</param>
/// <param name="Converted">Conversions attributed to a message on the channel.</param>
/// <param name="Revenue">Their value.</param>
public sealed record ChannelReport(string Channel, int Sent, int Skipped, int HeldOut, int Failed, int Converted, decimal Revenue);

/// <summary>One experiment's variants compared.</summary>
/// <param name="Name">The experiment.</param>
/// <param name="Variants">Each variant, in the order declared.</param>
public sealed record ExperimentReport(string Name, IReadOnlyList<VariantReport> Variants);

/// <summary>
/// One variant: the instances assigned to it (holdout left out), how many of them converted (at any time after
/// the assignment, whichever message they had), and how that compares with the other variants taken together.
/// </summary>
/// <param name="Name">The variant.</param>
/// <param name="Weight">Its weight in percent, or 0 for a variant no longer in the definition.</param>
/// <param name="Assigned">Instances assigned to it.</param>
/// <param name="Converted">How many of them converted.</param>
/// <param name="Revenue">Their conversions' value.</param>
/// <param name="VersusOthers">This variant against the others pooled, or <see langword="null"/> when either side is empty.</param>
public sealed record VariantReport(string Name, int Weight, int Assigned, int Converted, decimal Revenue, Uplift? VersusOthers)
{
    /// <summary>Converted per assigned; 0 when none was assigned.</summary>
    public double ConversionRate => Assigned == 0 ? 0 : (double)Converted / Assigned;
}

/// <summary>One group of a journey with a holdout.</summary>
/// <param name="Name"><c>journey</c> or <c>holdout</c>.</param>
/// <param name="Entered">Instances that entered in the group.</param>
/// <param name="Converted">How many of them converted.</param>
/// <param name="Revenue">Their conversions' value.</param>
public sealed record GroupReport(string Name, int Entered, int Converted, decimal Revenue)
{
    /// <summary>Converted per entered; 0 when none entered.</summary>
    public double ConversionRate => Entered == 0 ? 0 : (double)Converted / Entered;
}

/// <summary>The journey's own effect: customers who got its messages against the holdout, who got none.</summary>
/// <param name="Percent">The holdout's share of customers, in percent.</param>
/// <param name="Journey">The customers who got the journey.</param>
/// <param name="Holdout">The customers held out.</param>
/// <param name="Uplift">The journey group against the holdout, or <see langword="null"/> when either is empty.</param>
public sealed record HoldoutReport(int Percent, GroupReport Journey, GroupReport Holdout, Uplift? Uplift);
