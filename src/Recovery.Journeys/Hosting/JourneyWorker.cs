using Microsoft.Extensions.Hosting;
using Recovery.Journeys.Engine;
using Recovery.Journeys.Scheduling;

namespace Recovery.Journeys.Hosting;

/// <summary>The hosted service that runs due journey steps in real time through the registered scheduler.</summary>
internal sealed class JourneyWorker(IJourneyScheduler scheduler, JourneyEngine engine) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => scheduler.RunAsync(engine, stoppingToken);
}
