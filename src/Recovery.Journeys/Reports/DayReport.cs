using NodaTime;

namespace Recovery.Journeys.Reports;

/// <summary>
/// One day of a report, by the day the instances entered (in <see cref="JourneyReportOptions.TimeZone"/>): how many
/// entered that day, and how many of those converted, with what they brought, whenever they converted.
/// </summary>
/// <param name="Date">The day.</param>
/// <param name="Entered">Instances that entered that day, holdout included.</param>
/// <param name="Converted">How many of them converted.</param>
/// <param name="Revenue">The value of their conversions.</param>
/// <param name="RecoveredRevenue">The value of their conversions attributed to a message.</param>
public sealed record DayReport(LocalDate Date, int Entered, int Converted, decimal Revenue, decimal RecoveredRevenue)
{
    /// <summary>Converted per entered; 0 when none entered.</summary>
    public double ConversionRate => Entered == 0 ? 0 : (double)Converted / Entered;
}
