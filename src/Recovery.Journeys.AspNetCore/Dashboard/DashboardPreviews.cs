using System.Text.Json;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>What previews render with: the host's sample event, or the journey's last real trigger with a made-up customer.</summary>
internal static class DashboardPreviews
{
    /// <summary>The event to render with, and a sentence saying where it comes from; no event when there is none.</summary>
    public static async ValueTask<(object? Event, string Source)> SampleEventAsync(JourneyEngine engine, JourneyDashboardOptions options, JsonSerializerOptions eventJson, JourneyDefinition journey, CancellationToken cancellationToken)
    {
        for (var type = journey.EventType; type is not null; type = type.BaseType)
        {
            if (options.SampleEvents.TryGetValue(type, out var sample))
            {
                return (sample, $"Rendered for the sample {type.Name} the host registered, sent to {options.SampleCustomer.Name ?? options.SampleCustomer.Id}.");
            }
        }

        var instances = await engine.FindInstancesAsync(new JourneyInstanceQuery(JourneyName: journey.Name), cancellationToken).ConfigureAwait(false);
        if (instances.Count == 0)
        {
            return (null, $"No preview: register a sample event (JourneyDashboardOptions.AddSampleEvent) or let one {journey.EventType.Name} arrive.");
        }

        var last = instances.MaxBy(i => i.StartedAt)!;
        try
        {
            var value = JsonSerializer.Deserialize(last.Trigger.ToJson(), eventJson.GetTypeInfo(journey.EventType));
            return (value, $"Rendered for the last real {journey.EventType.Name} (of {last.CorrelationKey}), with a made-up customer instead of the real one's contact details.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return (null, $"No preview: the last {journey.EventType.Name} could not be read back ({e.Message}).");
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
