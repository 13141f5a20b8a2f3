using NodaTime;

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
            var candidate = Resolve(date.PlusDays(day) + time, zone);
            if (candidate >= from)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No {time} after {from} in {zone.Id}.");
    }

    /// <summary>Maps a local date and time to an instant: a skipped time to the end of its gap, an ambiguous one to its first occurrence.</summary>
    public static Instant Resolve(LocalDateTime local, DateTimeZone zone)
    {
        var mapping = zone.MapLocal(local);
        return mapping.Count switch
        {
            0 => mapping.LateInterval.Start,
            _ => mapping.First().ToInstant(),
        };
    }
}
