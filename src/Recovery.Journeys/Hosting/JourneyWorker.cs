using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;

namespace Recovery.Journeys.Hosting;

/// <summary>
/// The hosted service that runs due journey steps in real time through the registered scheduler, and, beside them,
/// the retention purge every <see cref="JourneyEngineOptions.PurgeInterval"/>.
/// </summary>
/// <remarks>
/// Resolves the engine and scheduler when it starts, not when it is constructed, so that options validation on
/// start reports every invalid setting at once before anything is created. The purge runs on its own loop, in short
/// batches, so it never holds up due steps; a failed purge is logged and tried again at the next interval.
/// </remarks>
internal sealed partial class JourneyWorker(IServiceProvider services) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var engine = services.GetRequiredService<JourneyEngine>();
        return Task.WhenAll(
            services.GetRequiredService<IJourneyScheduler>().RunAsync(engine, stoppingToken),
            PurgeLoopAsync(engine, stoppingToken));
    }

    private async Task PurgeLoopAsync(JourneyEngine engine, CancellationToken stoppingToken)
    {
        var options = services.GetRequiredService<IOptions<JourneyEngineOptions>>().Value;
        if (options.Retention is null)
        {
            return;
        }

        var timeProvider = services.GetRequiredService<TimeProvider>();
        var logger = (services.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger<JourneyWorker>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.PurgeInterval.ToTimeSpan(), timeProvider, stoppingToken).ConfigureAwait(false);
                var removed = await engine.PurgeAsync(stoppingToken).ConfigureAwait(false);
                Log.Purged(logger, removed, options.Retention.Value.ToString());
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.PurgeFailed(logger, e.GetType().FullName ?? e.GetType().Name, e.StackTrace ?? string.Empty);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Retention purge removed {Count} finished journey instances ended more than {Retention} ago")]
        public static partial void Purged(ILogger logger, int count, string retention);

        [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "The retention purge failed ({ExceptionType}); it runs again at the next interval\n{StackTrace}")]
        public static partial void PurgeFailed(ILogger logger, string exceptionType, string stackTrace);
    }
}
