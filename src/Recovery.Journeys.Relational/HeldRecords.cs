using NodaTime;
using NodaTime.Text;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Relational;

/// <summary>
/// The <see cref="JourneyRecordKind.Held"/> entry a resume writes on each instance whose step fell due while its journey
/// was paused, worded as the in-memory store words it (the conformance kit compares them).
/// </summary>
internal static class HeldRecords
{
    /// <summary>The entry's detail: from when to when the journey was paused, in ISO form.</summary>
    public static string Detail(Instant pausedAt, Instant resumedAt) =>
        $"held while the journey was paused, from {InstantPattern.ExtendedIso.Format(pausedAt)} to {InstantPattern.ExtendedIso.Format(resumedAt)}";
}
