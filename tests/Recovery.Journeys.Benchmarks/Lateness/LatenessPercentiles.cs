using System.Globalization;

namespace Recovery.Journeys.Benchmarks.Lateness;

/// <summary>Percentiles of send time minus due time, in milliseconds (NaN when there is nothing to measure).</summary>
public sealed record LatenessPercentiles(int Count, double P50, double P90, double P99, double P999, double Max, double Min)
{
    /// <summary>The percentiles of <paramref name="milliseconds"/> (nearest rank).</summary>
    public static LatenessPercentiles Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        return new LatenessPercentiles(
            sorted.Length,
            Percentile(sorted, 0.50),
            Percentile(sorted, 0.90),
            Percentile(sorted, 0.99),
            Percentile(sorted, 0.999),
            sorted.Length == 0 ? double.NaN : sorted[^1],
            sorted.Length == 0 ? double.NaN : sorted[0]);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"p50 {P50:F2} ms, p90 {P90:F2} ms, p99 {P99:F2} ms, p99.9 {P999:F2} ms, max {Max:F2} ms, min {Min:F3} ms");

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
