using System.Globalization;

namespace Recovery.Journeys.Benchmarks.Shared;

/// <summary>
/// The statistics of the timed runs (the durable, build and template runs' medians, the interleaved runs' quartiles): a
/// value at a fraction of the sorted values, and the spread of the pairs' ratios as the runs print it.
/// </summary>
public static class Quantiles
{
    /// <summary>The value at <paramref name="fraction"/> of the sorted values, interpolated (0.5: the median).</summary>
    public static double Of(IReadOnlyList<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        var position = fraction * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    /// <summary>The middle of the sorted values (the mean of the two middle ones for an even count).</summary>
    public static double Median(IEnumerable<double> values) => Of([.. values], 0.5);

    /// <summary>"median M (quartiles Q1–Q3, range min–max)", each value written by <paramref name="format"/>.</summary>
    public static string Spread(IReadOnlyList<double> values, Func<double, string> format) =>
        string.Create(CultureInfo.InvariantCulture, $"median {format(Of(values, 0.5))} (quartiles {format(Of(values, 0.25))}–{format(Of(values, 0.75))}, range {format(values.Min())}–{format(values.Max())})");
}
