using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;
using Recovery.Journeys.Adapters;
using Recovery.Journeys.Hosting;
using Recovery.Journeys.Quartz;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="QuartzJourneyScheduler"/> as the journey scheduler, inside <c>AddRecoveryJourneys(journeys =&gt; ...)</c>.</summary>
public static class QuartzRecoveryJourneysBuilderExtensions
{
    /// <summary>
    /// Schedules journey wake-ups on the app's Quartz.NET scheduler instead of the in-process one. Register Quartz
    /// itself as usual (<c>services.AddQuartz(...)</c> with its persistent store and clustering, and
    /// <c>services.AddQuartzHostedService()</c>); the journey store must be shared by every node (the PostgreSQL
    /// store).
    /// </summary>
    /// <remarks>
    /// The scheduler is a singleton (also resolvable as <see cref="QuartzJourneyScheduler"/>), created with the
    /// container's <see cref="TimeProvider"/> and <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/>. Its options
    /// are validated when the host starts; they can also be bound from configuration with
    /// <c>services.Configure&lt;QuartzJourneySchedulerOptions&gt;(section)</c>.
    /// </remarks>
    /// <param name="builder">The Recovery.Journeys builder.</param>
    /// <param name="configure">Changes the options; the defaults when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static RecoveryJourneysBuilder UseQuartzScheduler(this RecoveryJourneysBuilder builder, Action<QuartzJourneySchedulerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<QuartzJourneySchedulerOptions, QuartzJourneySchedulerOptionsValidator>(configure);
        builder.Services.TryAddSingleton(services => AdapterRegistration.Create<QuartzJourneySchedulerOptions, QuartzJourneyScheduler>(
            services,
            (options, timeProvider, loggerFactory) => new QuartzJourneyScheduler(SchedulerFactory(services), options, timeProvider, loggerFactory)));
        return builder.UseScheduler(services => services.GetRequiredService<QuartzJourneyScheduler>());
    }

    private static ISchedulerFactory SchedulerFactory(IServiceProvider services) =>
        services.GetService<ISchedulerFactory>() ?? throw new InvalidOperationException(
            "UseQuartzScheduler needs Quartz.NET registered in the same container: call services.AddQuartz(...) (with its persistent store) and services.AddQuartzHostedService().");
}
