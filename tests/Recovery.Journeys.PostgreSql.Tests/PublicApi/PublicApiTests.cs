using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.PostgreSql.Tests.PublicApi;

public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheApprovedSnapshot() => PublicApiApproval.MatchesApproved(typeof(PostgreSqlJourneyStore).Assembly);
}
