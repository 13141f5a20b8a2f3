using System.Diagnostics;
using NodaTime;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Runtime.Steps;
using Recovery.Journeys.Telemetry;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Runtime;

/// <summary>The activity and the measurements of one step run.</summary>
internal static class StepTelemetry
{
    /// <summary>Starts the step's activity (when anyone listens) and records how late the step runs.</summary>
    public static Activity? Start(JourneyMetrics metrics, JourneyDefinition journey, JourneyStep step, JourneyInstance instance, Instant now)
    {
        // Nothing is measured or traced unless someone listens: then no tag, link or activity is made for the step.
        if (metrics.StepLateness.Enabled && instance.WakeUpAt is { } dueAt)
        {
            metrics.StepLateness.Record(
                Math.Max(0, (now - dueAt).TotalSeconds),
                new(JourneyTelemetry.JourneyTag, journey.Name),
                new(JourneyTelemetry.StepTag, step.Id));
        }

        if (!JourneyTelemetry.Source.HasListeners())
        {
            return null;
        }

        var activity = JourneyTelemetry.Source.StartActivity(JourneyTelemetry.StepActivityName, ActivityKind.Internal, parentContext: default, links: JourneyTelemetry.LinksOf(instance));
        if (activity is null)
        {
            return null;
        }

        activity.DisplayName = $"{journey.Name} {step.Id}";
        activity.SetTag(JourneyTelemetry.JourneyTag, journey.Name);
        activity.SetTag(JourneyTelemetry.VersionTag, journey.Version);
        activity.SetTag(JourneyTelemetry.StepTag, step.Id);
        activity.SetTag(JourneyTelemetry.ChannelTag, step.Channel);
        activity.SetTag(JourneyTelemetry.InstanceTag, instance.Id.ToString());
        return activity;
    }

    /// <summary>Counts the step's messages by channel and outcome, and tags the activity with the outcome (never the failure's text).</summary>
    public static void Ran(JourneyMetrics metrics, Activity? activity, JourneyDefinition journey, JourneyStep step, StepResult result)
    {
        if (step.SendsMessages)
        {
            // Indexed: enumerating the interface would allocate an enumerator for every step.
            for (var i = 0; i < result.Deliveries.Count; i++)
            {
                var delivery = result.Deliveries[i];
                var counter = delivery.Kind switch
                {
                    JourneyRecordKind.Sent => metrics.MessagesSent,
                    JourneyRecordKind.Failed => metrics.MessagesFailed,
                    JourneyRecordKind.Skipped => metrics.MessagesSkipped,
                    _ => null,
                };
                if (counter is not { Enabled: true })
                {
                    continue;
                }

                counter.Add(
                    1,
                    new(JourneyTelemetry.JourneyTag, journey.Name),
                    new(JourneyTelemetry.StepTag, step.Id),
                    new(JourneyTelemetry.ChannelTag, delivery.Channel));
            }
        }

        if (activity is null)
        {
            return;
        }

        var outcome = result.AnySent ? JourneyRecordKind.Sent
            : result.Failed ? JourneyRecordKind.Failed
            : result.Deliveries.Count > 0 ? result.Deliveries[^1].Kind
            : JourneyRecordKind.Skipped;
        activity.SetTag(JourneyTelemetry.OutcomeTag, JourneyTelemetry.OutcomeOf(outcome));
        if (result.Failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, "failed");
        }
    }
}
