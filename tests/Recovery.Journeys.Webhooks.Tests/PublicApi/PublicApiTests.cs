using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Webhooks.Tests.PublicApi;

public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheApprovedSnapshot() => PublicApiApproval.MatchesApproved(typeof(WebhookChannel).Assembly);
}
