namespace Recovery.Journeys.Reports;

/// <summary>One message step's figures. Sends, skips and failures are counted per channel delivery (a fan-out to two channels counts two).</summary>
/// <param name="StepId">The step.</param>
/// <param name="Channel">The step's channels in one word (<c>push</c>, <c>sms|email</c>).</param>
/// <param name="Sent">Messages sent.</param>
/// <param name="Skipped">Messages not sent on purpose (unreachable, opted out, a frequency cap), holdout left out.</param>
/// <param name="HeldOut">Messages not sent because the instance is in the holdout.</param>
/// <param name="Failed">Messages that failed for good.</param>
/// <param name="Converted">Conversions attributed to the step: it was the last one sent, within the attribution window.</param>
/// <param name="Revenue">Their value.</param>
/// <param name="Channels">The same figures per channel of the step; a conversion after a fan-out counts under each channel it was sent on.</param>
public sealed record StepReport(
    string StepId,
    string Channel,
    int Sent,
    int Skipped,
    int HeldOut,
    int Failed,
    int Converted,
    decimal Revenue,
    IReadOnlyList<ChannelReport> Channels)
{
    /// <summary>The experiment whose variant path the step is on, or <see langword="null"/> for a step every customer passes.</summary>
    public string? Experiment { get; init; }

    /// <summary>The variant of <see cref="Experiment"/> the step belongs to, or <see langword="null"/>.</summary>
    public string? Variant { get; init; }

    /// <summary><see cref="Skipped"/> by reason (<c>no phone number</c>, <c>opted out</c>, <c>frequency cap</c>, ...), most frequent first.</summary>
    public IReadOnlyList<SkipReasonCount> SkippedBy { get; init; } = [];
}
