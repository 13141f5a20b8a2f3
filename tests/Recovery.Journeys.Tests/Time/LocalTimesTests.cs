using NodaTime;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Time;

/// <summary>
/// The next instant a local clock reads a time, across the Europe/Paris DST changes of 2026, with the expected instants
/// written as local times and their UTC offsets (CET is UTC+1, CEST UTC+2).
/// </summary>
public sealed class LocalTimesTests
{
    private static readonly DateTimeZone Paris = DateTimeZoneProviders.Tzdb["Europe/Paris"];
    private static readonly LocalTime HalfPastTwo = new(2, 30);

    [Fact]
    public void NextAtOrAfter_TheInstantItself_WhenTheClockReadsTheTimeThen()
    {
        var firstHalfPastTwo = At(2026, 10, 25, 2, 30, 2);

        LocalTimes.NextAtOrAfter(firstHalfPastTwo, HalfPastTwo, Paris).Should().Be(firstHalfPastTwo, "at or after: the first 02:30 itself");
        LocalTimes.NextAtOrAfter(At(2026, 1, 5, 10, 0, 1), new LocalTime(10, 0), Paris).Should().Be(At(2026, 1, 5, 10, 0, 1));
    }

    [Fact]
    public void NextAtOrAfter_ATimeTheClocksGoBackOver_IsTheFirstOccurrence_OrTheSecondOnceTheFirstIsPast()
    {
        LocalTimes.NextAtOrAfter(At(2026, 10, 25, 1, 0, 2), HalfPastTwo, Paris).Should().Be(At(2026, 10, 25, 2, 30, 2));
        LocalTimes.NextAtOrAfter(At(2026, 10, 25, 2, 31, 2), HalfPastTwo, Paris).Should().Be(At(2026, 10, 25, 2, 30, 1));
        LocalTimes.NextAtOrAfter(At(2026, 10, 25, 2, 31, 1), HalfPastTwo, Paris).Should().Be(At(2026, 10, 26, 2, 30, 1));
    }

    [Fact]
    public void NextAtOrAfter_ATimeTheClocksSkip_IsTheEndOfTheGap()
    {
        LocalTimes.NextAtOrAfter(At(2026, 3, 29, 1, 0, 1), HalfPastTwo, Paris).Should().Be(At(2026, 3, 29, 3, 0, 2));
    }

    private static Instant At(int year, int month, int day, int hour, int minute, int offsetHours) =>
        new OffsetDateTime(new LocalDateTime(year, month, day, hour, minute), Offset.FromHours(offsetHours)).ToInstant();
}
