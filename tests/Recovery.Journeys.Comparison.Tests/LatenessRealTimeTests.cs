using Recovery.Journeys.Comparison.Runs;

namespace Recovery.Journeys.Comparison.Tests;

/// <summary>The lateness run of each framework at 20 due pushes a second for 2 s: every push sent, its lateness measured (not asserted).</summary>
public sealed class LatenessRealTimeTests
{
    [Theory]
    [InlineData("library")]
    [InlineData("hangfire")]
    [InlineData("wolverine")]
    public async Task Lateness_SteadyRate_EveryPushSentAndMeasured(string framework)
    {
        var result = await LatenessRun.MeasureAsync(framework, rate: 20, seconds: 2, tuned: true);

        result.Sent.Should().Be(result.Published);
        result.Measured.Should().Be(0, "2 s of checkouts are all warm-up, left out of the percentiles");
    }
}
