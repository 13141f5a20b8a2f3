using NodaTime;

namespace Recovery.Journeys.Runtime;

/// <summary>What a step would send for a sample event, rendered without sending (tests, a shop's back office).</summary>
/// <param name="JourneyName">The journey.</param>
/// <param name="StepId">The step.</param>
/// <param name="RenderedAt">The instant the step was rendered for: its due time had the journey started when the preview was asked.</param>
/// <param name="Messages">One entry per channel of the step, in order.</param>
public sealed record StepPreview(string JourneyName, string StepId, Instant RenderedAt, IReadOnlyList<PreviewedMessage> Messages);
