using System.Text.Json;
using NodaTime;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>What previews render with: the host's sample event, or the journey's last real trigger with its personal data masked and a made-up customer.</summary>
internal static class DashboardPreviews
{
    /// <summary>The event to render with, where it comes from and a sentence saying so; no event when there is none.</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="options">The dashboard's options: the host's samples and customer.</param>
    /// <param name="events">How the engine writes and reads trigger events (<c>JourneyEngineOptions.EventSerializerOptions</c>).</param>
    /// <param name="journey">The journey.</param>
    /// <param name="time">Writes an instant for the page.</param>
    /// <param name="cancellationToken">Cancels the search for the last trigger.</param>
    public static async ValueTask<PreviewSample> SampleEventAsync(
        JourneyEngine engine, JourneyDashboardOptions options, JsonSerializerOptions events, JourneyDefinition journey, Func<Instant, string> time, CancellationToken cancellationToken)
    {
        for (var type = journey.EventType; type is not null; type = type.BaseType)
        {
            if (options.SampleEvents.TryGetValue(type, out var sample))
            {
                return new PreviewSample(sample, PreviewSampleSource.HostSample, Masked: false, $"Rendered for the sample {type.Name} the host registered, as given, sent to {options.SampleCustomer.Name ?? options.SampleCustomer.Id}.");
            }
        }

        var instances = await engine.FindInstancesAsync(new JourneyInstanceQuery(JourneyName: journey.Name), cancellationToken).ConfigureAwait(false);
        if (instances.Count == 0)
        {
            return new PreviewSample(null, PreviewSampleSource.None, Masked: false, $"No preview: register a sample event (JourneyDashboardOptions.AddSampleEvent) or let one {journey.EventType.Name} arrive.");
        }

        var last = instances.MaxBy(i => i.StartedAt)!;
        try
        {
            var masked = PersonalDataMask.MaskJson(last.Trigger.ToJson(), [last.CorrelationKey, last.CustomerId]);
            var value = JsonSerializer.Deserialize(masked, events.GetTypeInfo(journey.EventType))
                ?? throw new JsonException($"The stored {journey.EventType.Name} is the JSON null.");
            return new PreviewSample(
                value,
                PreviewSampleSource.LastRealEvent,
                Masked: true,
                $"Rendered for the last real {journey.EventType.Name}, which arrived {time(last.StartedAt)}, with its personal data masked (its texts and ids read {PersonalDataMask.Masked}; amounts, dates and codes are kept) and sent to the made-up customer {options.SampleCustomer.Name ?? options.SampleCustomer.Id}. Register a sample event (JourneyDashboardOptions.AddSampleEvent) to see realistic texts.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or FormatException or InvalidOperationException)
        {
            // The message may quote the event's data: only its type is shown.
            return new PreviewSample(null, PreviewSampleSource.None, Masked: true, $"No preview: the last {journey.EventType.Name}, its personal data masked, could not be read back ({e.GetType().Name}). Register a sample event (JourneyDashboardOptions.AddSampleEvent).");
        }
    }

    /// <summary>Every message step, in every preview culture.</summary>
    public static async ValueTask<List<PreviewPage.Rendering>> RenderAsync(JourneyEngine engine, JourneyDashboardOptions options, JourneyDefinition journey, object sample, CancellationToken cancellationToken)
    {
        var cultures = options.PreviewCultures.Count == 0 ? [null] : options.PreviewCultures.Cast<string?>().ToList();
        var renderings = new List<PreviewPage.Rendering>();
        foreach (var step in journey.Steps.Where(s => s.SendsMessages))
        {
            foreach (var culture in cultures)
            {
                var customer = culture is null ? options.SampleCustomer : options.SampleCustomer with { Culture = culture };
                try
                {
                    var preview = await engine.PreviewAsync(journey.Name, step.Id, sample, customer, cancellationToken).ConfigureAwait(false);
                    renderings.Add(new PreviewPage.Rendering(step, culture, preview, null));
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException)
                {
                    renderings.Add(new PreviewPage.Rendering(step, culture, null, e.Message));
                }
            }
        }

        return renderings;
    }
}
