using NodaTime;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Timing;

/// <summary>
/// At most <paramref name="MaxMessages"/> messages per customer within any <paramref name="Period"/>, counted across
/// every journey of the engine, on one channel or on all.
/// </summary>
/// <remarks>
/// Counted from the timelines in the store before each message step. Concurrent steps for one customer may overshoot
/// the cap by the number of steps running at once; with <c>MaxConcurrentSteps = 1</c> it is exact. Immutable.
/// </remarks>
/// <param name="MaxMessages">The most messages; positive.</param>
/// <param name="Period">The sliding period; positive.</param>
public sealed record FrequencyCap(int MaxMessages, Duration Period)
{
    /// <summary>At most <paramref name="maxMessages"/> messages per customer within any <paramref name="period"/>.</summary>
    /// <param name="maxMessages">The most messages; positive.</param>
    /// <param name="period">The sliding period; positive.</param>
    public FrequencyCap(int maxMessages, TimeSpan period)
        : this(maxMessages, Duration.FromTimeSpan(period))
    {
    }

    /// <summary>The channel counted and capped, or <see langword="null"/> for every channel together.</summary>
    public string? Channel { get; init; }

    /// <summary>What a capped step does.</summary>
    /// <value>The default is <see cref="CapPolicy.Defer"/>.</value>
    public CapPolicy Policy { get; init; } = CapPolicy.Defer;

    /// <summary>Describes the cap, e.g. <c>3 messages per 1d on sms</c>.</summary>
    public override string ToString() => $"{MaxMessages} messages per {DurationText.Format(Period)}{(Channel is null ? string.Empty : $" on {Channel}")}";
}
