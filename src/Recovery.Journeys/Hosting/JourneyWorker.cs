using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;

namespace Recovery.Journeys.Hosting;

/// <summary>The hosted service that runs due journey steps in real time through the registered scheduler.</summary>
/// <remarks>
/// Resolves the engine and scheduler when it starts, not when it is constructed, so that options validation on
/// start reports every invalid setting at once before anything is created.
/// </remarks>
internal sealed class JourneyWorker(IServiceProvider services) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        services.GetRequiredService<IJourneyScheduler>().RunAsync(services.GetRequiredService<JourneyEngine>(), stoppingToken);
}
