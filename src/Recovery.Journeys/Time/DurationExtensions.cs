using NodaTime;

namespace Recovery.Journeys.Time;

/// <summary>
/// Reads a number as a NodaTime <see cref="Duration"/>, so a journey says <c>.After(5.Minutes())</c>.
/// </summary>
public static class DurationExtensions
{
    /// <summary>Returns a duration of <paramref name="value"/> milliseconds.</summary>
    /// <param name="value">The number of milliseconds.</param>
    public static Duration Milliseconds(this int value) => Duration.FromMilliseconds(value);

    /// <summary>Returns a duration of <paramref name="value"/> seconds.</summary>
    /// <param name="value">The number of seconds.</param>
    public static Duration Seconds(this int value) => Duration.FromSeconds(value);

    /// <summary>Returns a duration of <paramref name="value"/> minutes.</summary>
    /// <param name="value">The number of minutes.</param>
    public static Duration Minutes(this int value) => Duration.FromMinutes(value);

    /// <summary>Returns a duration of <paramref name="value"/> hours.</summary>
    /// <param name="value">The number of hours.</param>
    public static Duration Hours(this int value) => Duration.FromHours(value);

    /// <summary>Returns a duration of <paramref name="value"/> days of exactly 24 hours.</summary>
    /// <remarks>A day here is an elapsed 24 hours, not a calendar day: across a DST change the local time of day shifts by an hour.</remarks>
    /// <param name="value">The number of days.</param>
    public static Duration Days(this int value) => Duration.FromDays(value);
}
