using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Recovery.Journeys.Hosting;
using Recovery.Journeys.Quartz;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="QuartzJourneyScheduler"/> as the journey scheduler.</summary>
public static class QuartzRecoveryJourneysBuilderExtensions
{
    /// <summary>
    /// Schedules journey wake-ups on the app's Quartz.NET scheduler instead of the in-process one. Register Quartz
    /// itself as usual (<c>services.AddQuartz(...)</c> with its persistent store and clustering, and
    /// <c>services.AddQuartzHostedService()</c>); the journey store must be shared by every node (the PostgreSQL
    /// store). The options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The Recovery.Journeys builder.</param>
    /// <param name="configure">Changes the options; the defaults when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static RecoveryJourneysBuilder UseQuartzScheduler(this RecoveryJourneysBuilder builder, Action<QuartzJourneySchedulerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<QuartzJourneySchedulerOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QuartzJourneySchedulerOptions>, QuartzJourneySchedulerOptionsValidator>());
        builder.Services.TryAddSingleton(sp => new QuartzJourneyScheduler(
            sp.GetService<ISchedulerFactory>() ?? throw new InvalidOperationException(
                "UseQuartzScheduler needs Quartz.NET registered in the same container: call services.AddQuartz(...) (with its persistent store) and services.AddQuartzHostedService()."),
            sp.GetRequiredService<IOptions<QuartzJourneySchedulerOptions>>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<QuartzJourneyScheduler>>()));
        return builder.UseScheduler(sp => sp.GetRequiredService<QuartzJourneyScheduler>());
    }
}
