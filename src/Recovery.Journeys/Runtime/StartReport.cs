using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// What one start of a publication did (<see cref="EventRouter"/>), handed back to the publication rather than written
/// into an object shared with it: started (with the instances the start ended), ignored, or suppressed.
/// </summary>
internal readonly record struct StartReport(StartReportKind Kind, JourneyInstanceId Id, SuppressedStart? Suppressed, IReadOnlyList<JourneyTransition>? Ended)
{
    public static StartReport Of(SuppressedStart suppressed) => new(StartReportKind.Suppressed, default, suppressed, null);
}
