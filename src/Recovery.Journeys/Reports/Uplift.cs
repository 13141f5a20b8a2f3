namespace Recovery.Journeys.Reports;

/// <summary>
/// How one group's conversion rate compares with a baseline's: the difference, its confidence interval, and whether
/// it is significant by a two-sided two-proportion z-test.
/// </summary>
/// <remarks>
/// <para>
/// The test statistic uses the pooled proportion, as under the null hypothesis that both rates are equal:
/// <c>z = (p₁ − p₂) / √(p̂(1 − p̂)(1/n₁ + 1/n₂))</c> with <c>p̂ = (x₁ + x₂) / (n₁ + n₂)</c>, and the two-sided
/// p-value is <c>2 · Φ(−|z|)</c>. The confidence interval of the difference is the Wald interval with unpooled
/// standard error, <c>(p₁ − p₂) ± z* · √(p₁(1 − p₁)/n₁ + p₂(1 − p₂)/n₂)</c>. Both are the textbook large-sample
/// methods: trust them when each group has at least about 5 conversions and 5 non-conversions. Near the threshold the
/// test and the interval can disagree (a p-value just under 0.05 with an interval touching 0).
/// </para>
/// <para>Immutable.</para>
/// </remarks>
public sealed record Uplift
{
    internal Uplift(int conversions, int size, int baselineConversions, int baselineSize, double confidenceLevel)
    {
        Conversions = conversions;
        Size = size;
        BaselineConversions = baselineConversions;
        BaselineSize = baselineSize;
        ConfidenceLevel = confidenceLevel;
    }

    /// <summary>The group's conversions (x₁).</summary>
    public int Conversions { get; }

    /// <summary>The group's size (n₁).</summary>
    public int Size { get; }

    /// <summary>The baseline's conversions (x₂).</summary>
    public int BaselineConversions { get; }

    /// <summary>The baseline's size (n₂).</summary>
    public int BaselineSize { get; }

    /// <summary>The confidence level of the interval; 1 minus it is the significance threshold.</summary>
    public double ConfidenceLevel { get; }

    /// <summary>The group's conversion rate, p₁.</summary>
    public double Rate => (double)Conversions / Size;

    /// <summary>The baseline's conversion rate, p₂.</summary>
    public double BaselineRate => (double)BaselineConversions / BaselineSize;

    /// <summary>The absolute uplift, p₁ − p₂ (0.05 is 5 percentage points).</summary>
    public double Difference => Rate - BaselineRate;

    /// <summary>The relative uplift, (p₁ − p₂) / p₂, or <see langword="null"/> when the baseline never converted.</summary>
    public double? RelativeUplift => BaselineConversions == 0 ? null : Difference / BaselineRate;

    /// <summary>The lower bound of the confidence interval of <see cref="Difference"/>.</summary>
    public double Lower => Difference - (Statistics.InverseNormal(1 - ((1 - ConfidenceLevel) / 2)) * UnpooledStandardError);

    /// <summary>The upper bound of the confidence interval of <see cref="Difference"/>.</summary>
    public double Upper => Difference + (Statistics.InverseNormal(1 - ((1 - ConfidenceLevel) / 2)) * UnpooledStandardError);

    /// <summary>The z statistic of the two-proportion z-test (pooled standard error); 0 when both groups all converted or none did.</summary>
    public double Z
    {
        get
        {
            var pooled = (double)(Conversions + BaselineConversions) / (Size + BaselineSize);
            var standardError = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / Size) + (1.0 / BaselineSize)));
            return standardError == 0 ? 0 : Difference / standardError;
        }
    }

    /// <summary>The two-sided p-value of the test: the chance of a difference at least this large if both rates were equal.</summary>
    public double PValue => Math.Min(1, 2 * Statistics.Normal(-Math.Abs(Z)));

    /// <summary>Whether the difference is significant: <see cref="PValue"/> below 1 − <see cref="ConfidenceLevel"/>.</summary>
    public bool IsSignificant => PValue < 1 - ConfidenceLevel;

    private double UnpooledStandardError => Math.Sqrt((Rate * (1 - Rate) / Size) + (BaselineRate * (1 - BaselineRate) / BaselineSize));

    /// <summary>Compares a group's conversions with a baseline's.</summary>
    /// <param name="conversions">The group's conversions.</param>
    /// <param name="size">The group's size; positive.</param>
    /// <param name="baselineConversions">The baseline's conversions.</param>
    /// <param name="baselineSize">The baseline's size; positive.</param>
    /// <param name="confidenceLevel">The confidence level, between 0.5 and 0.9999. The default is 0.95.</param>
    /// <returns>The comparison, or <see langword="null"/> when either group is empty.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, conversions exceed a size, or the level is out of range.</exception>
    public static Uplift? Compare(int conversions, int size, int baselineConversions, int baselineSize, double confidenceLevel = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(conversions);
        ArgumentOutOfRangeException.ThrowIfNegative(baselineConversions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(conversions, size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(baselineConversions, baselineSize);
        if (!(confidenceLevel is >= 0.5 and <= 0.9999))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "The confidence level must be between 0.5 and 0.9999.");
        }

        return size == 0 || baselineSize == 0 ? null : new Uplift(conversions, size, baselineConversions, baselineSize, confidenceLevel);
    }
}
