using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Extensions;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Hosting;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Scheduling;
using Recovery.Journeys.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Recovery.Journeys in a service collection.</summary>
public static class RecoveryJourneysServiceCollectionExtensions
{
    /// <summary>
    /// Registers the journey engine, its default in-memory store and in-process scheduler, the hosted worker that runs
    /// due steps in real time, and whatever <paramref name="configure"/> adds (journeys, channels, another store).
    /// </summary>
    /// <remarks>
    /// Safe to call more than once: the core services are registered once and later calls only add to them.
    /// <see cref="TimeProvider"/> and NodaTime's <see cref="IClock"/> are taken from the container when present
    /// (<see cref="TimeProvider.System"/> otherwise). Options are validated when the host starts.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adds journeys and channels.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddRecoveryJourneys(this IServiceCollection services, Action<RecoveryJourneysBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (!services.Any(d => d.ServiceType == typeof(RecoveryJourneysMarker)))
        {
            services.AddSingleton<RecoveryJourneysMarker>();
            AddCore(services);
        }

        configure(new RecoveryJourneysBuilder(services));
        return services;
    }

    private static void AddCore(IServiceCollection services)
    {
        services.AddOptions<JourneyEngineOptions>().ValidateOnStart();
        services.AddOptions<InProcessSchedulerOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JourneyEngineOptions>, JourneyEngineOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InProcessSchedulerOptions>, InProcessSchedulerOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IClock>(sp => sp.GetRequiredService<TimeProvider>().ToClock());
        services.TryAddSingleton<IJourneyStore, InMemoryJourneyStore>();
        services.TryAddSingleton<IJourneyScheduler>(sp => new InProcessJourneyScheduler(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<InProcessSchedulerOptions>>().Value,
            sp.GetRequiredService<IJourneyStore>() as IJourneyWakeUpSource,
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IChannelResolver, ServiceProviderChannelResolver>();
        services.TryAddSingleton(sp => new JourneyEngine(
            sp.GetServices<JourneyDefinition>(),
            sp.GetRequiredService<IJourneyStore>(),
            new JourneyHostServices
            {
                Channels = sp.GetRequiredService<IChannelResolver>(),
                Customers = sp.GetService<ICustomerDirectory>(),
                Consent = sp.GetService<IConsentChecker>(),
                Content = sp.GetServices<ContentProviderRegistration>().ToDictionary(r => r.Name, r => r.Factory(sp), StringComparer.Ordinal),
                UnsubscribeLinks = sp.GetService<UnsubscribeLinks>(),
                Coupons = sp.GetService<ICouponService>(),
                Activity = sp.GetService<ICustomerActivity>(),
                MeterFactory = sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            },
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<JourneyEngineOptions>>().Value,
            sp.GetRequiredService<IJourneyScheduler>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, JourneyWorker>());
    }

    private sealed class RecoveryJourneysMarker;
}
