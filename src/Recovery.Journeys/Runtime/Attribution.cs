using NodaTime;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// Attributes a conversion to the last message sent before it (<see cref="JourneyInstance.LastSentStepId"/>,
/// <see cref="JourneyInstance.LastSentAt"/>, <see cref="JourneyInstance.LastSentChannel"/>), when it came within the
/// journey's attribution window after that send.
/// </summary>
internal static class Attribution
{
    /// <summary>
    /// Ends the instance as converted at <paramref name="now"/>. The conversion record names the last step sent and
    /// its channel when the conversion came at most the attribution window after that send; otherwise none (a
    /// conversion of the journey that no message earned).
    /// </summary>
    public static JourneyTransition Convert(JourneyDefinition journey, JourneyInstance instance, Instant now, string reason, decimal? value)
    {
        var ended = JourneyEngine.End(instance, now, JourneyStatus.Converted, reason, value);
        if (instance.LastSentStepId is null)
        {
            return ended;
        }

        // An instance started before sends were timed has no instant: it is attributed as it always was.
        var record = ended.Records[^1];
        record = instance.LastSentAt is { } sentAt && now - sentAt > journey.AttributionWindow
            ? record with { Detail = $"{reason}, {DurationText.Format(now - sentAt)} after the last message: outside the attribution window of {DurationText.Format(journey.AttributionWindow)}" }
            : record with { StepId = instance.LastSentStepId, Channel = instance.LastSentChannel };
        return new JourneyTransition(ended.Instance, [.. ended.Records.Take(ended.Records.Count - 1), record]);
    }

    /// <summary>
    /// After its last step an instance stays active, with no next step, for the attribution window: a goal event in that
    /// time still converts it, and nothing can be sent since there is nothing left to run. Then it completes. A journey
    /// without a goal (no exit that is a conversion) has nothing to listen for and completes at once.
    /// </summary>
    public static JourneyTransition Listen(JourneyDefinition journey, JourneyInstance instance, Instant now, IReadOnlyList<JourneyRecord> records) =>
        journey.Exits.Any(e => e.IsConversion)
            ? new(instance with { NextStepId = null, WakeUpAt = now + journey.AttributionWindow }, records)
            : JourneyEngine.End(instance, now, JourneyStatus.Completed, "completed", value: null, records);

    /// <summary>Whether an active instance has run its last step and only listens for its goal event.</summary>
    public static bool IsListening(JourneyInstance instance) => instance.IsActive && instance.NextStepId is null;
}
