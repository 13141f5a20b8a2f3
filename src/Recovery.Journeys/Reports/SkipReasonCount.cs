namespace Recovery.Journeys.Reports;

/// <summary>How many messages of a step were skipped for one reason.</summary>
/// <param name="Reason">The reason, with its figures left out (<c>frequency cap</c>, <c>late (SkipIfLaterThan)</c>).</param>
/// <param name="Count">How many.</param>
public sealed record SkipReasonCount(string Reason, int Count);
