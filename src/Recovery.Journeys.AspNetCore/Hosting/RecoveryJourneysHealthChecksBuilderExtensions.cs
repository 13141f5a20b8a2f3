using Microsoft.Extensions.Diagnostics.HealthChecks;
using Recovery.Journeys.AspNetCore.Health;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Recovery.Journeys health check.</summary>
public static class RecoveryJourneysHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that the journey store answers, the worker runs due steps, and the oldest overdue step is not too
    /// late (degraded, then unhealthy, past <see cref="RecoveryJourneysHealthCheckOptions"/>' thresholds).
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="configure">Sets the thresholds; the defaults when <see langword="null"/>.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags to filter checks by, e.g. <c>ready</c>.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddRecoveryJourneys(
        this IHealthChecksBuilder builder,
        Action<RecoveryJourneysHealthCheckOptions>? configure = null,
        string name = "recovery-journeys",
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new RecoveryJourneysHealthCheckOptions();
        configure?.Invoke(options);
        return builder.Add(new HealthCheckRegistration(
            name,
            services => new RecoveryJourneysHealthCheck(
                services.GetRequiredService<JourneyEngine>(),
                services.GetRequiredService<IJourneyStore>(),
                services.GetRequiredService<TimeProvider>(),
                options),
            HealthStatus.Unhealthy,
            tags));
    }
}
