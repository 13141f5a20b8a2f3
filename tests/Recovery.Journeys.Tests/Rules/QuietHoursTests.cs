using NodaTime;
using Recovery.Journeys.Timing;

namespace Recovery.Journeys.Tests.Rules;

/// <summary>
/// <see cref="QuietHours.Contains"/> and <see cref="QuietHours.EndIfInside"/> at their edges: the start (included), the
/// end (excluded), midnight, and the Europe/Paris DST gap and overlap. The expected instants are written as local times
/// with their UTC offsets, worked out by hand from the zone's rules (CET is UTC+1, CEST UTC+2; in 2026 the clocks jump
/// from 02:00 to 03:00 on 29 March and go back from 03:00 to 02:00 on 25 October).
/// </summary>
public sealed class QuietHoursTests
{
    private static readonly DateTimeZone Paris = DateTimeZoneProviders.Tzdb["Europe/Paris"];
    private static readonly Offset Cet = Offset.FromHours(1);
    private static readonly Offset Cest = Offset.FromHours(2);
    private static readonly Period Nanosecond = Period.FromNanoseconds(1);

    public static TheoryData<string, string, string, bool> Edges => new()
    {
        // A window across midnight: 21:00 to 08:00.
        { "21:00", "08:00", "21:00", true },
        { "21:00", "08:00", "20:59:59.999999999", false },
        { "21:00", "08:00", "08:00", false },
        { "21:00", "08:00", "07:59:59.999999999", true },
        { "21:00", "08:00", "00:00", true },
        { "21:00", "08:00", "23:59:59.999999999", true },
        { "21:00", "08:00", "12:00", false },

        // A window within the day: 12:00 to 14:00.
        { "12:00", "14:00", "12:00", true },
        { "12:00", "14:00", "11:59:59.999999999", false },
        { "12:00", "14:00", "14:00", false },
        { "12:00", "14:00", "13:59:59.999999999", true },
        { "12:00", "14:00", "00:00", false },
        { "12:00", "14:00", "23:00", false },

        // Windows that start or end at midnight.
        { "00:00", "06:00", "00:00", true },
        { "00:00", "06:00", "06:00", false },
        { "00:00", "06:00", "23:59:59.999999999", false },
        { "22:00", "00:00", "22:00", true },
        { "22:00", "00:00", "23:59:59.999999999", true },
        { "22:00", "00:00", "00:00", false },
        { "22:00", "00:00", "21:59:59.999999999", false },
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void Contains_TheStartIncluded_TheEndExcluded_AcrossMidnightWhenTheEndIsEarlier(string from, string to, string time, bool quiet)
    {
        new QuietHours(Local(from), Local(to)).Contains(Local(time)).Should().Be(quiet);
    }

    [Fact]
    public void EndIfInside_InsideAWindowAcrossMidnight_IsTheNextEndInTheCustomersZone()
    {
        var window = new QuietHours(new LocalTime(21, 0), new LocalTime(8, 0));
        var nextMorning = At(2026, 1, 6, 8, 0, Cet);

        window.EndIfInside(At(2026, 1, 5, 21, 0, Cet), Paris).Should().Be(nextMorning, "the start is inside");
        window.EndIfInside(At(2026, 1, 5, 23, 30, Cet), Paris).Should().Be(nextMorning);
        window.EndIfInside(At(2026, 1, 6, 0, 0, Cet), Paris).Should().Be(nextMorning, "midnight is inside");
        window.EndIfInside(At(2026, 1, 6, 7, 59, Cet), Paris).Should().Be(nextMorning);
        window.EndIfInside(At(2026, 1, 6, 8, 0, Cet), Paris).Should().BeNull("the end is outside");
        window.EndIfInside(At(2026, 1, 5, 20, 59, Cet), Paris).Should().BeNull();
    }

    [Fact]
    public void EndIfInside_DecidesByTheCustomersLocalTime_NotUtc()
    {
        var window = new QuietHours(new LocalTime(21, 0), new LocalTime(8, 0));
        var newYork = DateTimeZoneProviders.Tzdb["America/New_York"];
        var lateInParis = At(2026, 1, 5, 22, 0, Cet); // 16:00 in New York (UTC-5)

        window.EndIfInside(lateInParis, Paris).Should().Be(At(2026, 1, 6, 8, 0, Cet));
        window.EndIfInside(lateInParis, newYork).Should().BeNull();
    }

    [Fact]
    public void EndIfInside_AnEndThatTheDstGapSkips_IsTheEndOfTheGap()
    {
        // 29 March 2026: 02:00 CET is followed by 03:00 CEST; 02:30 does not exist.
        var window = new QuietHours(new LocalTime(1, 0), new LocalTime(2, 30));

        window.EndIfInside(At(2026, 3, 29, 1, 30, Cet), Paris).Should().Be(At(2026, 3, 29, 3, 0, Cest));
        window.EndIfInside(At(2026, 3, 29, 1, 59, Cet), Paris).Should().Be(At(2026, 3, 29, 3, 0, Cest));
        window.EndIfInside(At(2026, 3, 29, 3, 0, Cest), Paris).Should().BeNull("right after the jump the local time, 03:00, is past the window");
    }

    [Fact]
    public void EndIfInside_AnEndThatTheDstOverlapRepeats_IsItsFirstOccurrence_OrTheSecondOnceTheFirstIsPast()
    {
        // 25 October 2026: 03:00 CEST is followed by 02:00 CET; 02:00 to 03:00 happens twice.
        var window = new QuietHours(new LocalTime(1, 0), new LocalTime(2, 30));

        window.EndIfInside(At(2026, 10, 25, 1, 30, Cest), Paris).Should().Be(At(2026, 10, 25, 2, 30, Cest), "before the overlap, the first 02:30 ends it");
        window.EndIfInside(At(2026, 10, 25, 2, 10, Cest), Paris).Should().Be(At(2026, 10, 25, 2, 30, Cest));
        window.EndIfInside(At(2026, 10, 25, 2, 30, Cest), Paris).Should().BeNull("the first 02:30 is the end");
        window.EndIfInside(At(2026, 10, 25, 2, 45, Cest), Paris).Should().BeNull();

        // The clocks went back: it is 02:10 again, inside the window, and the local clock reads 02:30 twenty minutes later.
        window.EndIfInside(At(2026, 10, 25, 2, 10, Cet), Paris).Should().Be(At(2026, 10, 25, 2, 30, Cet));
    }

    [Fact]
    public void AppliesTo_AWindowForSomeChannels_AppliesToAStepOnAnyOfThem()
    {
        var sms = new QuietHours(new LocalTime(20, 0), new LocalTime(9, 0)) { Channels = ["sms"] };
        var every = new QuietHours(new LocalTime(20, 0), new LocalTime(9, 0));

        sms.AppliesTo(["sms"]).Should().BeTrue();
        sms.AppliesTo(["push", "sms"]).Should().BeTrue("a fan-out or a fallback with an SMS is held by the SMS window");
        sms.AppliesTo(["push", "email"]).Should().BeFalse();
        every.AppliesTo(["push"]).Should().BeTrue();
    }

    [Fact]
    public void ToString_IsTheWindow_AndItsChannelsWhenItHasSome()
    {
        new QuietHours(new LocalTime(21, 0), new LocalTime(8, 0)).ToString().Should().Be("21:00-08:00");
        new QuietHours(new LocalTime(20, 0), new LocalTime(9, 30)) { Channels = ["sms", "push"] }.ToString().Should().Be("20:00-09:30 (sms, push)");
    }

    private static LocalTime Local(string text) =>
        NodaTime.Text.LocalTimePattern.CreateWithInvariantCulture(text.Length == 5 ? "HH:mm" : "HH:mm:ss.fffffffff").Parse(text).Value;

    private static Instant At(int year, int month, int day, int hour, int minute, Offset offset) =>
        new OffsetDateTime(new LocalDateTime(year, month, day, hour, minute), offset).ToInstant();
}
