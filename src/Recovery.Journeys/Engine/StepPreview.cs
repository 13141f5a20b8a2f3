using NodaTime;

namespace Recovery.Journeys.Engine;

/// <summary>What a step would send for a sample event, rendered without sending (tests, a shop's back office).</summary>
/// <param name="JourneyName">The journey.</param>
/// <param name="StepId">The step.</param>
/// <param name="RenderedAt">The instant the step was rendered for: its due time had the journey started when the preview was asked.</param>
/// <param name="Messages">One entry per channel of the step, in order.</param>
public sealed record StepPreview(string JourneyName, string StepId, Instant RenderedAt, IReadOnlyList<PreviewedMessage> Messages);

/// <summary>One channel's message in a <see cref="StepPreview"/>.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Message">The rendered message, or <see langword="null"/> when the channel would be skipped.</param>
/// <param name="SkipReason">Why the channel would be skipped (the customer cannot be reached on it), or <see langword="null"/>.</param>
public sealed record PreviewedMessage(string Channel, object? Message, string? SkipReason);
