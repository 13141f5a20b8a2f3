using NodaTime;
using NodaTime.TimeZones;

namespace Recovery.Journeys.Time;

/// <summary>
/// Turns local times of day into instants in a real time zone, with one documented rule for the two DST cases:
/// a local time that does not exist (the clocks jump from 02:00 to 03:00) maps to the end of the gap (03:00);
/// a local time that happens twice (the clocks go back from 03:00 to 02:00) maps to its first occurrence.
/// </summary>
internal static class LocalTimes
{
    /// <summary>The first instant at or after <paramref name="from"/> whose local time in <paramref name="zone"/> is <paramref name="time"/>.</summary>
    public static Instant NextAtOrAfter(Instant from, LocalTime time, DateTimeZone zone)
    {
        var date = from.InZone(zone).Date;

        // Two days cover every case: today's occurrence may be past, tomorrow's cannot.
        for (var day = 0; day < 3; day++)
        {
            // A local time the clocks go back over happens twice: the first occurrence counts, or the second once the
            // first is past (at 02:10 on the way back, 02:30 comes twenty minutes later, not the next day).
            var mapping = zone.MapLocal(date.PlusDays(day) + time);
            var candidate = mapping.Count == 2 && mapping.First().ToInstant() < from ? mapping.Last().ToInstant() : Resolve(mapping);
            if (candidate >= from)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No {time} after {from} in {zone.Id}.");
    }

    /// <summary>Maps a local date and time to an instant: a skipped time to the end of its gap, an ambiguous one to its first occurrence.</summary>
    public static Instant Resolve(LocalDateTime local, DateTimeZone zone) => Resolve(zone.MapLocal(local));

    private static Instant Resolve(ZoneLocalMapping mapping) => mapping.Count switch
    {
        0 => mapping.LateInterval.Start,
        _ => mapping.First().ToInstant(),
    };
}
