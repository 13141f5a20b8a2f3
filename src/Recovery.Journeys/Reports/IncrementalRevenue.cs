namespace Recovery.Journeys.Reports;

/// <summary>
/// The revenue the journey brought that the holdout says would not have come without it: the difference of revenue per
/// customer between the journey group and the holdout, times the journey group's size, with its confidence interval.
/// </summary>
/// <remarks>
/// Every customer counts, those who did not convert with 0. The interval is the large-sample (Welch) interval of a
/// difference of means, <c>(m₁ − m₂) ± z* · √(s₁²/n₁ + s₂²/n₂)</c>, scaled by n₁: wide with a small holdout, and
/// meaningful only with several conversions in each group.
/// </remarks>
/// <param name="PerCustomer">Revenue per customer in the journey group minus revenue per customer in the holdout.</param>
/// <param name="Estimate">The incremental revenue: <paramref name="PerCustomer"/> times the journey group's size.</param>
/// <param name="Lower">The lower bound of its confidence interval.</param>
/// <param name="Upper">The upper bound of its confidence interval.</param>
/// <param name="ConfidenceLevel">The confidence level of the interval.</param>
public sealed record IncrementalRevenue(decimal PerCustomer, decimal Estimate, decimal Lower, decimal Upper, double ConfidenceLevel)
{
    /// <summary>Estimates it from each group's conversion values; <see langword="null"/> when a group has fewer than two customers.</summary>
    /// <param name="journeyValues">The value each conversion of the journey group brought.</param>
    /// <param name="journeySize">How many customers the journey group has.</param>
    /// <param name="holdoutValues">The value each conversion of the holdout brought.</param>
    /// <param name="holdoutSize">How many customers the holdout has.</param>
    /// <param name="confidenceLevel">The confidence level, between 0.5 and 0.9999.</param>
    internal static IncrementalRevenue? Of(IReadOnlyList<decimal> journeyValues, int journeySize, IReadOnlyList<decimal> holdoutValues, int holdoutSize, double confidenceLevel)
    {
        if (journeySize < 2 || holdoutSize < 2)
        {
            return null;
        }

        var (mean1, variance1) = MeanAndVariance(journeyValues, journeySize);
        var (mean2, variance2) = MeanAndVariance(holdoutValues, holdoutSize);
        var difference = mean1 - mean2;
        var half = Statistics.InverseNormal(1 - ((1 - confidenceLevel) / 2)) * Math.Sqrt((variance1 / journeySize) + (variance2 / holdoutSize));
        return new IncrementalRevenue(
            Round(difference),
            Round(difference * journeySize),
            Round((difference - half) * journeySize),
            Round((difference + half) * journeySize),
            confidenceLevel);
    }

    // The customers who did not convert count with 0: the sums run over the values, the sizes over everyone.
    private static (double Mean, double Variance) MeanAndVariance(IReadOnlyList<decimal> values, int size)
    {
        var sum = values.Sum(v => (double)v);
        var mean = sum / size;
        var squares = values.Sum(v => ((double)v - mean) * ((double)v - mean)) + ((size - values.Count) * mean * mean);
        return (mean, squares / (size - 1));
    }

    private static decimal Round(double value) => Math.Round((decimal)value, 2, MidpointRounding.AwayFromZero);
}
