using Microsoft.Extensions.Diagnostics.HealthChecks;
using NodaTime;
using NodaTime.Extensions;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;

namespace Recovery.Journeys.AspNetCore.Health;

/// <summary>
/// Reports whether journeys run: the store answers, the worker loop has run due steps lately, and the oldest overdue
/// step (of journeys not paused) is not later than the thresholds.
/// </summary>
internal sealed class RecoveryJourneysHealthCheck(JourneyEngine engine, IJourneyStore store, TimeProvider timeProvider, RecoveryJourneysHealthCheckOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetCurrentInstant();
        Instant? next;
        try
        {
            next = await store.GetNextWakeUpAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The journey store does not answer.", e);
        }

        var lastRun = engine.LastRunDueAt;
        var lateness = next is { } due && due < now ? now - due : Duration.Zero;
        var data = new Dictionary<string, object>
        {
            ["oldestOverdueSeconds"] = lateness.TotalSeconds,
            ["lastRunSecondsAgo"] = lastRun is { } run ? (now - run).TotalSeconds : -1,
        };

        if (lastRun is null || now - lastRun.Value > options.WorkerTimeout)
        {
            var why = lastRun is null
                ? "No worker has run due steps yet."
                : $"The worker last ran due steps {(now - lastRun.Value).TotalSeconds:0} s ago (more than {options.WorkerTimeout.TotalSeconds:0} s).";
            return new HealthCheckResult(context.Registration.FailureStatus, why, data: data);
        }

        if (lateness > options.UnhealthyLateness)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The oldest overdue step is {lateness.TotalSeconds:0} s late.", data: data);
        }

        return lateness > options.DegradedLateness
            ? HealthCheckResult.Degraded($"The oldest overdue step is {lateness.TotalSeconds:0} s late.", data: data)
            : HealthCheckResult.Healthy("Journeys run on time.", data);
    }
}
