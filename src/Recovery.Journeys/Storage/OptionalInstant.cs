using NodaTime;

namespace Recovery.Journeys.Storage;

/// <summary>
/// An <see cref="Instant"/> or none, kept in 16 bytes where <c>Instant?</c> takes 24: the backing field of the optional
/// instants of <see cref="JourneyInstance"/>, of which a million waiting journeys keep five each. Lossless (nanoseconds
/// and the whole range of <see cref="Instant"/>); its default is none.
/// </summary>
internal readonly record struct OptionalInstant
{
    // The day since the Unix epoch with its sign bit flipped, so that the default (0) stands for int.MinValue, a day no
    // Instant has (their range is about ±3.65 million days), which means none.
    private readonly int _dayCode;
    private readonly long _nanosecondOfDay;

    private OptionalInstant(int dayCode, long nanosecondOfDay)
    {
        _dayCode = dayCode;
        _nanosecondOfDay = nanosecondOfDay;
    }

    /// <summary>Whether an instant is kept.</summary>
    public bool HasValue => _dayCode != 0;

    /// <summary>The instant, or <see langword="null"/>.</summary>
    public Instant? Value => _dayCode == 0
        ? null
        : NodaConstants.UnixEpoch + Duration.FromDays(_dayCode ^ int.MinValue) + Duration.FromNanoseconds(_nanosecondOfDay);

    /// <summary>Keeps <paramref name="value"/>.</summary>
    /// <param name="value">An instant, or <see langword="null"/>.</param>
    public static OptionalInstant From(Instant? value)
    {
        if (value is not { } instant)
        {
            return default;
        }

        // Days and nanoseconds of the day are both truncated towards zero, so adding them back is exact.
        var sinceEpoch = instant - NodaConstants.UnixEpoch;
        return new OptionalInstant(sinceEpoch.Days ^ int.MinValue, sinceEpoch.NanosecondOfDay);
    }
}
