using NodaTime;

namespace Recovery.Journeys.AspNetCore.Health;

/// <summary>Thresholds of the Recovery.Journeys health check.</summary>
public sealed class RecoveryJourneysHealthCheckOptions
{
    /// <summary>How long the worker may go without running due steps before it counts as stopped (unhealthy).</summary>
    /// <value>The default is 2 minutes: the in-process scheduler runs at least once per poll interval (30 s by default).</value>
    public Duration WorkerTimeout { get; set; } = Duration.FromMinutes(2);

    /// <summary>How late the oldest overdue step may be before the check reports degraded.</summary>
    /// <value>The default is 5 minutes.</value>
    public Duration DegradedLateness { get; set; } = Duration.FromMinutes(5);

    /// <summary>How late the oldest overdue step may be before the check reports unhealthy.</summary>
    /// <value>The default is 30 minutes.</value>
    public Duration UnhealthyLateness { get; set; } = Duration.FromMinutes(30);
}
