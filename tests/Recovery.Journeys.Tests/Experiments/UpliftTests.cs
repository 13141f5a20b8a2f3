using Recovery.Journeys.Reports;

namespace Recovery.Journeys.Tests.Experiments;

public sealed class UpliftTests
{
    [Fact]
    public void Compare_TextbookConfidenceInterval_OpenIntroCprStudy()
    {
        // OpenIntro Statistics (4th ed., §6.2.2), blood thinners after CPR: 14 of 40 treated patients survived, 11 of 50
        // controls. Point estimate 0.35 − 0.22 = 0.13, SE = √(0.35·0.65/40 + 0.22·0.78/50) ≈ 0.095, 95 % CI ≈ (−0.06, 0.32).
        var uplift = Uplift.Compare(14, 40, 11, 50)!;

        uplift.Difference.Should().BeApproximately(0.13, 1e-12);
        uplift.Lower.Should().BeApproximately(-0.0572, 5e-4);
        uplift.Upper.Should().BeApproximately(0.3172, 5e-4);
        uplift.IsSignificant.Should().BeFalse("the interval contains 0");
    }

    [Fact]
    public void Compare_TextbookZTest_PooledStatisticAndTwoSidedPValue()
    {
        // x₁ = 28 of n₁ = 254 against x₂ = 36 of n₂ = 301 at α = 0.05: pooled p̂ = 64/555 = 0.11532, z = −0.344,
        // two-sided p-value 0.7307: do not reject H₀.
        var uplift = Uplift.Compare(28, 254, 36, 301)!;

        uplift.Z.Should().BeApproximately(-0.3441, 1e-4);
        uplift.PValue.Should().BeApproximately(0.7307, 1e-4);
        uplift.IsSignificant.Should().BeFalse();
    }

    [Fact]
    public void Compare_ALargeDifference_IsSignificant_AndItsIntervalExcludesZero()
    {
        // 240 of 1,000 against 100 of 1,000: p̂ = 0.17, SE = √(0.17·0.83·0.002) = 0.016799, z = 0.14 / 0.016799 = 8.334.
        var uplift = Uplift.Compare(240, 1_000, 100, 1_000)!;

        uplift.Z.Should().BeApproximately(8.334, 1e-3);
        uplift.PValue.Should().BeLessThan(1e-15);
        uplift.IsSignificant.Should().BeTrue();
        uplift.Lower.Should().BeGreaterThan(0);
        uplift.RelativeUplift.Should().BeApproximately(1.4, 1e-12);
    }

    [Theory]
    [InlineData(0.95, 1.959964)]
    [InlineData(0.90, 1.644854)]
    [InlineData(0.99, 2.575829)]
    public void Compare_IntervalWidth_UsesTheNormalQuantileOfTheConfidenceLevel(double level, double quantile)
    {
        // 50 of 100 against 50 of 100: unpooled SE = √(0.25/100 · 2) = 0.070711, so the half-width is quantile · 0.070711.
        var uplift = Uplift.Compare(50, 100, 50, 100, level)!;

        uplift.Upper.Should().BeApproximately(quantile * 0.0707107, 1e-6);
        uplift.Lower.Should().BeApproximately(-quantile * 0.0707107, 1e-6);
    }

    [Fact]
    public void Compare_SignificanceThreshold_FollowsTheConfidenceLevel()
    {
        // z ≈ 2.2 gives p ≈ 0.028: significant at 95 %, not at 99 %.
        var at95 = Uplift.Compare(130, 500, 100, 500, 0.95)!;
        var at99 = Uplift.Compare(130, 500, 100, 500, 0.99)!;

        at95.PValue.Should().BeApproximately(at99.PValue, 1e-15).And.BeInRange(0.01, 0.05);
        at95.IsSignificant.Should().BeTrue();
        at99.IsSignificant.Should().BeFalse();
    }

    [Fact]
    public void Compare_EmptyGroup_IsNull_AndBadInputsThrow()
    {
        Uplift.Compare(0, 0, 1, 10).Should().BeNull();
        Uplift.Compare(1, 10, 0, 0).Should().BeNull();

        ((Action)(() => Uplift.Compare(11, 10, 1, 10))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => Uplift.Compare(-1, 10, 1, 10))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => Uplift.Compare(1, 10, 1, 10, 1.0))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Compare_NoOneOrEveryoneConverted_HasNoDifferenceAndAPValueOfOne()
    {
        Uplift.Compare(0, 10, 0, 20)!.Should().Match<Uplift>(u => u.Z == 0 && u.PValue == 1 && u.RelativeUplift == null && !u.IsSignificant);
        Uplift.Compare(10, 10, 20, 20)!.Should().Match<Uplift>(u => u.Z == 0 && u.PValue == 1 && u.RelativeUplift == 0);
    }
}
