using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using ShopWeb.Shop;

namespace Recovery.Journeys.AspNetCore.Tests.Fixtures;

/// <summary>An engine without a host: ShopWeb's journeys, the in-memory store, recorded channels, a fake clock.</summary>
internal sealed record EngineFixture(JourneyEngine Engine, InMemoryJourneyStore Store, FakeClock Clock, RecordingChannels Channels)
{
    public static EngineFixture Create(System.Diagnostics.Metrics.IMeterFactory? meterFactory = null)
    {
        var clock = new FakeClock(DashboardHost.Start);
        var store = new InMemoryJourneyStore();
        var channels = new RecordingChannels(clock);
        var engine = new JourneyEngine(ShopJourneys.All, store, new JourneyHostServices { Channels = channels, MeterFactory = meterFactory }, clock);
        return new EngineFixture(engine, store, clock, channels);
    }
}
