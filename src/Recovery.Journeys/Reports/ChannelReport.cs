namespace Recovery.Journeys.Reports;

/// <summary>One channel's figures, in one step or over the journey.</summary>
/// <param name="Channel">The channel (<c>push</c>, <c>email</c>, ...).</param>
/// <param name="Sent">Messages sent.</param>
/// <param name="Skipped">Messages not sent on purpose, holdout left out.</param>
/// <param name="HeldOut">Messages not sent because of the holdout.</param>
/// <param name="Failed">Messages that failed for good.</param>
/// <param name="Converted">Conversions attributed to a message on the channel; one after a fan-out step counts under each channel it was sent on.</param>
/// <param name="Revenue">Their value.</param>
public sealed record ChannelReport(string Channel, int Sent, int Skipped, int HeldOut, int Failed, int Converted, decimal Revenue);
