using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Recovery.Journeys.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Recovery.Journeys' activities and metrics with OpenTelemetry.</summary>
public static class RecoveryJourneysInstrumentationExtensions
{
    /// <summary>
    /// Collects the engine's activities (source <c>Recovery.Journeys</c>): one per published event, one per step run,
    /// linked to the publish activity that started the instance.
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The builder.</returns>
    public static TracerProviderBuilder AddRecoveryJourneysInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(JourneyTelemetry.Name);
    }

    /// <summary>
    /// Collects the engine's metrics (meter <c>Recovery.Journeys</c>, created through the host's <c>IMeterFactory</c>):
    /// instances entered and exited, messages sent, failed and skipped, step lateness.
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder.</returns>
    public static MeterProviderBuilder AddRecoveryJourneysInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(JourneyTelemetry.Name);
    }
}
