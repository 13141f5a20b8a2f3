using NodaTime;

namespace Recovery.Journeys.Time;

/// <summary>Reads the injected <see cref="TimeProvider"/> as NodaTime values.</summary>
internal static class ClockExtensions
{
    public static Instant GetCurrentInstant(this TimeProvider timeProvider) =>
        Instant.FromDateTimeOffset(timeProvider.GetUtcNow());

    public static TimeSpan ToTimeSpanCeiling(this Duration duration)
    {
        // Timers tick in whole milliseconds; rounding down would wake a waiter before its due instant.
        var ticks = duration.BclCompatibleTicks;
        var ms = (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        return TimeSpan.FromMilliseconds(Math.Max(ms, 1));
    }
}
