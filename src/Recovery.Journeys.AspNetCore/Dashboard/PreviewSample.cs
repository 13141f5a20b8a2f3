namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>The event a preview page renders with, where it comes from, and a sentence saying so for the page.</summary>
/// <param name="Event">The event, or <see langword="null"/> when there is none to render with.</param>
/// <param name="Source">Where the event comes from.</param>
/// <param name="Masked">Whether the event's personal data was masked: always for a real event, never for the host's sample.</param>
/// <param name="Description">A sentence for the page: the source, and what was masked.</param>
internal sealed record PreviewSample(object? Event, PreviewSampleSource Source, bool Masked, string Description);
