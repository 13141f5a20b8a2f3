namespace Recovery.Journeys.Comparison.Shop;

/// <summary>One call of a channel: which order and reminder, when it started (the real clock), and which worker sent it.</summary>
public sealed record SendRecord(string OrderId, string Step, DateTimeOffset SentAt, string Worker);
