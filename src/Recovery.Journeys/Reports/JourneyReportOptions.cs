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

    /// <summary>The zone whose days <see cref="JourneyReport.Days"/> counts entries by: the shop's.</summary>
    /// <value>The default is UTC.</value>
    public DateTimeZone TimeZone { get; init; } = DateTimeZone.Utc;
}
