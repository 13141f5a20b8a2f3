using NodaTime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Ports;

/// <summary>Criteria for <see cref="IJourneyStore.ReadRecordsAsync"/>; a <see langword="null"/> criterion matches everything.</summary>
/// <param name="JourneyName">Only entries of this journey.</param>
/// <param name="From">Only entries at or after this instant.</param>
/// <param name="To">Only entries before this instant.</param>
public sealed record JourneyRecordQuery(string? JourneyName = null, Instant? From = null, Instant? To = null)
{
    internal bool Matches(JourneyRecord record) =>
        (JourneyName is null || record.JourneyName == JourneyName)
        && (From is null || record.At >= From)
        && (To is null || record.At < To);
}
