using System.Globalization;
using System.Text;
using NodaTime;

namespace Recovery.Journeys.Time;

/// <summary>Writes durations the way people say them in a journey: <c>5m</c>, <c>1h</c>, <c>1d12h</c>, <c>250ms</c>.</summary>
internal static class DurationText
{
    public static string Format(Duration duration)
    {
        if (duration == Duration.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder(duration < Duration.Zero ? "-" : string.Empty);
        var rest = duration < Duration.Zero ? -duration : duration;
        Append(text, rest.Days, "d");
        Append(text, rest.Hours, "h");
        Append(text, rest.Minutes, "m");
        Append(text, rest.Seconds, "s");
        Append(text, rest.SubsecondNanoseconds / 1_000_000, "ms");
        if (rest < Duration.FromMilliseconds(1))
        {
            // Under a millisecond, in nanoseconds, keeping the sign.
            text.Append(rest.TotalNanoseconds.ToString(CultureInfo.InvariantCulture)).Append("ns");
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, long value, string unit)
    {
        if (value != 0)
        {
            text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
