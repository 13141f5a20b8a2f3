using Recovery.Journeys.Dsl;
using Recovery.Journeys.TestSupport;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Testing.Xunit.Conformance;

namespace Recovery.Journeys.Tests.PublicApi;

public sealed class PublicApiTests
{
    [Fact]
    public void Core_PublicApi_MatchesTheApprovedSnapshot() => PublicApiApproval.MatchesApproved(typeof(Journey).Assembly);

    [Fact]
    public void Testing_PublicApi_MatchesTheApprovedSnapshot() => PublicApiApproval.MatchesApproved(typeof(FakeClock).Assembly);

    [Fact]
    public void TestingXunit_PublicApi_MatchesTheApprovedSnapshot() => PublicApiApproval.MatchesApproved(typeof(JourneyStoreConformanceTests).Assembly);
}
