using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing.Xunit.Conformance;

namespace Recovery.Journeys.Tests.Storage;

/// <summary>The reference store passes the conformance kit. Its claims last as long as the store, so no lease facts.</summary>
public sealed class InMemoryJourneyStoreConformanceTests : JourneyStoreConformanceTests
{
    protected override Task<IJourneyStore> CreateStoreAsync() => Task.FromResult<IJourneyStore>(new InMemoryJourneyStore());
}
