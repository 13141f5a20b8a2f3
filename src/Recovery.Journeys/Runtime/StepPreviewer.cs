using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime;

/// <summary>Renders what a step would send for a sample event, without sending or storing anything.</summary>
internal sealed class StepPreviewer(JourneyCatalog catalog, IReadOnlyDictionary<JourneyDefinition, JourneyRunner> runners, TimeProvider timeProvider, JourneyEngineOptions options)
{
    public async ValueTask<StepPreview> PreviewAsync(string journeyName, string stepId, object sampleEvent, Customer? customer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sampleEvent);
        var journey = catalog.Latest.FirstOrDefault(j => j.Name == journeyName)
            ?? throw new ArgumentException($"No journey is named '{journeyName}'.", nameof(journeyName));
        var step = journey.FindStep(stepId) ?? throw new ArgumentException($"Journey '{journeyName}' has no step '{stepId}'.", nameof(stepId));
        if (!journey.EventType.IsInstanceOfType(sampleEvent))
        {
            throw new ArgumentException($"Journey '{journeyName}' starts on {journey.EventType.Name}, not {sampleEvent.GetType().Name}.", nameof(sampleEvent));
        }

        var runner = runners[journey];
        var startedAt = timeProvider.GetCurrentInstant();
        var zoneId = await runner.TimeZoneAtStartAsync(sampleEvent, cancellationToken).ConfigureAwait(false);
        var ranAt = DueOnTime(journey, step, startedAt, zoneId is null ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb[zoneId]);

        var instance = new JourneyInstance
        {
            Id = JourneyInstanceId.New(),
            JourneyName = journey.Name,
            JourneyVersion = journey.Version,
            CorrelationKey = "preview",
            CustomerId = journey.CustomerIdOf(sampleEvent),
            Trigger = StoredEvent.FromValue(sampleEvent, options.EventSerializerOptions),
            StartedAt = startedAt,
            WakeUpAt = ranAt,
            TimeZone = zoneId,
        };
        var messages = await runner.PreviewStepAsync(instance, step, ranAt, customer, cancellationToken).ConfigureAwait(false);
        return new StepPreview(journey.Name, step.Id, ranAt, messages);
    }

    /// <summary>When a step would be due had the journey started at <paramref name="startedAt"/> and every step before it run on time, along the first path that reaches it.</summary>
    private static Instant DueOnTime(JourneyDefinition journey, JourneyStep target, Instant startedAt, DateTimeZone zone)
    {
        var due = new Dictionary<string, Instant> { [journey.Steps[0].Id] = journey.Steps[0].Timing.DueAt(startedAt, null, zone) };
        var queue = new Queue<JourneyStep>([journey.Steps[0]]);
        while (queue.TryDequeue(out var step) && step != target)
        {
            foreach (var next in step.Transitions.Select(t => t.TargetStepId is null ? null : journey.FindStep(t.TargetStepId)).OfType<JourneyStep>())
            {
                if (due.TryAdd(next.Id, next.Timing.DueAt(startedAt, due[step.Id], zone)))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return due[target.Id];
    }
}
