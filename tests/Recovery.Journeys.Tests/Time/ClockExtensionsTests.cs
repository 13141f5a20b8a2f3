using NodaTime;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Time;

/// <summary>Timers tick in whole milliseconds: a wait is rounded up, never down, and is at least a millisecond.</summary>
public sealed class ClockExtensionsTests
{
    [Theory]
    [InlineData(0L, 1)]
    [InlineData(1L, 1)]
    [InlineData(10_000L, 1)]
    [InlineData(10_001L, 2)]
    [InlineData(15_000L, 2)]
    [InlineData(50_000L, 5)]
    [InlineData(36_000_000_000L, 3_600_000)]
    public void ToTimeSpanCeiling_RoundsUpToWholeMilliseconds(long ticks, int milliseconds)
    {
        Duration.FromTicks(ticks).ToTimeSpanCeiling().Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }
}
