using Recovery.Journeys.AspNetCore.Json;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.AspNetCore.Tests.PublicApi;

public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheApprovedSnapshot() => PublicApiApproval.MatchesApproved(typeof(RecoveryJourneysJson).Assembly);
}
