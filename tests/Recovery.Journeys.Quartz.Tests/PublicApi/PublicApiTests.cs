using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Quartz.Tests.PublicApi;

public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheApprovedSnapshot() => PublicApiApproval.MatchesApproved(typeof(QuartzJourneyScheduler).Assembly);
}
