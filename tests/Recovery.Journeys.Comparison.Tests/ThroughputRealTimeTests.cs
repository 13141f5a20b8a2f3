using Recovery.Journeys.Comparison.Runs;

namespace Recovery.Journeys.Comparison.Tests;

/// <summary>The throughput run of each framework at 20 checkouts: every S1 step sent exactly once. Real time: the frameworks' own workers drain the backlog.</summary>
public sealed class ThroughputRealTimeTests
{
    [Theory]
    [InlineData("library", "postgresql", 2)]
    [InlineData("hangfire", "postgresql", 2)]
    [InlineData("wolverine", "postgresql", 2)]
    [InlineData("library", "sqlite", 1)]
    [InlineData("hangfire", "sqlite", 1)]
    [InlineData("wolverine", "sqlite", 1)]
    public async Task Throughput_SmallBacklog_EveryStepSentOnce(string framework, string store, int workers)
    {
        var result = await ThroughputRun.MeasureAsync(framework, store, workers, journeys: 20, tuned: true);

        result.Correct.Should().BeTrue(result.Check);
        result.Steps.Should().Be(60);
    }
}
