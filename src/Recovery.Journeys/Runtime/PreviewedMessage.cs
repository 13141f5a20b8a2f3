namespace Recovery.Journeys.Runtime;

/// <summary>One channel's message in a <see cref="StepPreview"/>.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Message">The rendered message, or <see langword="null"/> when the channel would be skipped.</param>
/// <param name="SkipReason">Why the channel would be skipped (the customer cannot be reached on it), or <see langword="null"/>.</param>
public sealed record PreviewedMessage(string Channel, object? Message, string? SkipReason);
