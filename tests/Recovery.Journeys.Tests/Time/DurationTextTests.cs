using NodaTime;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Time;

/// <summary>How timelines and messages write durations: the largest units first, each one that is not zero.</summary>
public sealed class DurationTextTests
{
    public static TheoryData<long, string> Texts => new()
    {
        { 0, "0s" },
        { Duration.FromMinutes(5).BclCompatibleTicks, "5m" },
        { (Duration.FromDays(1) + Duration.FromHours(12)).BclCompatibleTicks, "1d12h" },
        { (Duration.FromHours(1) + Duration.FromSeconds(1)).BclCompatibleTicks, "1h1s" },
        { (Duration.FromSeconds(1) + Duration.FromMilliseconds(250)).BclCompatibleTicks, "1s250ms" },
        { Duration.FromMilliseconds(250).BclCompatibleTicks, "250ms" },
        { Duration.FromMilliseconds(1).BclCompatibleTicks, "1ms" },
        { -(Duration.FromHours(1) + Duration.FromMinutes(30)).BclCompatibleTicks, "-1h30m" },
        { -Duration.FromMilliseconds(2).BclCompatibleTicks, "-2ms" },
        { 5, "500ns" },
        { -5, "-500ns" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Format_WritesEachNonZeroUnit_LargestFirst_WithItsSign(long ticks, string text)
    {
        DurationText.Format(Duration.FromTicks(ticks)).Should().Be(text);
    }
}
