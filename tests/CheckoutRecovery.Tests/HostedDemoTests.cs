using CheckoutRecovery.Channels;
using CheckoutRecovery.Hosted;
using CheckoutRecovery.Journeys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Hosting;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Tests;

public sealed class HostedDemoTests
{
    // The host is built, not started: starting it would run the demo on the real clock.
    [Fact]
    public void CreateHost_RegistersTheDemoJourneyInSeconds_WithConsoleChannelsAndTheWorker()
    {
        using var host = HostedDemo.CreateHost([]);

        var engine = host.Services.GetRequiredService<JourneyEngine>();

        engine.Journeys.Should().ContainSingle().Which.Steps.Select(s => s.Timing.Delay)
            .Should().Equal(5.Seconds(), Duration.Zero, Duration.Zero, 10.Seconds(), 15.Seconds(), 20.Seconds());
        engine.Journeys[0].AttributionWindow.Should().Be(5.Seconds());
        host.Services.GetRequiredService<IChannel<PushMessage>>().Should().BeOfType<ConsoleChannel<PushMessage>>();
        host.Services.GetRequiredService<IChannel<EmailMessage>>().Should().BeOfType<ConsoleChannel<EmailMessage>>();
        host.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).Should().Contain(["JourneyWorker", "DemoShop"]);
        host.Services.GetRequiredService<TimeProvider>().Should().BeSameAs(TimeProvider.System);
        host.Services.GetRequiredService<OfferDesk>().RecoveredOrders.Should().Be(0);
    }
}
