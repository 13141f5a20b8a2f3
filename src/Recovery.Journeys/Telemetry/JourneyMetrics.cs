using System.Diagnostics.Metrics;

namespace Recovery.Journeys.Telemetry;

/// <summary>
/// The instruments of one engine, on the meter <see cref="JourneyTelemetry.Name"/>: created through the host's
/// <see cref="IMeterFactory"/> when it has one (so they live and die with its container, and tests can isolate them),
/// on the process-wide meter otherwise.
/// </summary>
internal sealed class JourneyMetrics
{
    private static readonly Lazy<JourneyMetrics> Default = new(() => new JourneyMetrics(JourneyTelemetry.Meter));

    private JourneyMetrics(Meter meter)
    {
        Entered = meter.CreateCounter<long>("recovery.journeys.entered", "{instance}", "Journey instances started.");
        Exited = meter.CreateCounter<long>("recovery.journeys.exited", "{instance}", "Journey instances ended, by outcome: completed, converted or exited.");
        MessagesSent = meter.CreateCounter<long>("recovery.journeys.messages.sent", "{message}", "Messages handed to a channel successfully, by journey, step and channel.");
        MessagesFailed = meter.CreateCounter<long>("recovery.journeys.messages.failed", "{message}", "Messages that failed for good (after their retries), by journey, step and channel.");
        MessagesSkipped = meter.CreateCounter<long>("recovery.journeys.messages.skipped", "{message}", "Messages not sent on purpose (unreachable, opted out, holdout), by journey, step and channel.");
        StepLateness = meter.CreateHistogram<double>("recovery.journeys.step.lateness", "s", "How long after its due time a step ran: run time minus due time.");
    }

    public Counter<long> Entered { get; }

    public Counter<long> Exited { get; }

    public Counter<long> MessagesSent { get; }

    public Counter<long> MessagesFailed { get; }

    public Counter<long> MessagesSkipped { get; }

    public Histogram<double> StepLateness { get; }

    /// <summary>The instruments on the factory's meter, or on the process-wide one without a factory.</summary>
    public static JourneyMetrics Create(IMeterFactory? factory) =>
        factory is null ? Default.Value : new JourneyMetrics(factory.Create(JourneyTelemetry.MeterOptions));
}
