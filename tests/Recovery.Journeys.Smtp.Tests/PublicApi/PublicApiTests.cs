using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Smtp.Tests.PublicApi;

public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheApprovedSnapshot() => PublicApiApproval.MatchesApproved(typeof(SmtpEmailChannel).Assembly);
}
