using NodaTime;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Timing;

/// <summary>
/// A daily window, in the customer's local time, in which a journey sends nothing (on all channels or on some):
/// from <paramref name="From"/> (included) to <paramref name="To"/> (excluded), across midnight when <c>To</c> is earlier.
/// </summary>
/// <remarks>
/// Whether an instant is quiet is decided by its local time in the customer's zone, so a DST change moves the window
/// with the clocks. A step due inside the window is deferred to the next instant the local clock reads <c>To</c>;
/// when that local time is skipped by a DST change, to the end of the gap. Immutable.
/// </remarks>
/// <param name="From">The window's start, local time.</param>
/// <param name="To">The window's end, local time.</param>
public sealed record QuietHours(LocalTime From, LocalTime To)
{
    /// <summary>The channels the window applies to, or <see langword="null"/> for every channel.</summary>
    public IReadOnlyList<string>? Channels { get; init; }

    /// <summary>Whether the window covers a local time of day.</summary>
    /// <param name="time">The local time.</param>
    public bool Contains(LocalTime time) => From < To ? time >= From && time < To : time >= From || time < To;

    /// <summary>Whether the window applies to a step on these channels.</summary>
    /// <param name="channels">The step's channels.</param>
    public bool AppliesTo(IEnumerable<string> channels) => Channels is null || channels.Any(Channels.Contains);

    /// <summary>Returns when the window ends, if <paramref name="now"/> is inside it, or <see langword="null"/>.</summary>
    /// <param name="now">The instant to check.</param>
    /// <param name="zone">The customer's time zone.</param>
    public Instant? EndIfInside(Instant now, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Contains(now.InZone(zone).TimeOfDay) ? LocalTimes.NextAtOrAfter(now, To, zone) : null;
    }

    /// <summary>Describes the window, e.g. <c>21:00-08:00</c>.</summary>
    public override string ToString() => $"{From:HH:mm}-{To:HH:mm}" + (Channels is null ? string.Empty : $" ({string.Join(", ", Channels)})");
}
