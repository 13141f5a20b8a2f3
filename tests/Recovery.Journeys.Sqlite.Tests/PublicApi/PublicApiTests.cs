using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Sqlite.Tests.PublicApi;

public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheApprovedSnapshot() => PublicApiApproval.MatchesApproved(typeof(SqliteJourneyStore).Assembly);
}
