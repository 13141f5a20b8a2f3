using System.Collections.Immutable;
using NodaTime;
using NodaTime.Text;
using Recovery.Journeys.Engine;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Experiments;

/// <summary>
/// Attributes a conversion to the last message sent before it, when it came within the journey's attribution window
/// after that send. The last send's instant and channel are kept among the instance's variables, so every store
/// keeps them without a schema of its own.
/// </summary>
internal static class Attribution
{
    public const string LastSentAt = "attribution.lastSentAt";
    public const string LastSentChannel = "attribution.lastSentChannel";

    /// <summary>Notes a send of the step on the given channels (several for a fan-out) at <paramref name="now"/>.</summary>
    public static ImmutableDictionary<string, string> Sent(ImmutableDictionary<string, string> variables, Instant now, IEnumerable<string> channels) =>
        variables
            .SetItem(LastSentAt, InstantPattern.ExtendedIso.Format(now))
            .SetItem(LastSentChannel, string.Join('+', channels));

    /// <summary>The last send's instant, if the instance sent anything.</summary>
    public static Instant? LastSendOf(JourneyInstance instance) =>
        instance.Variables.TryGetValue(LastSentAt, out var text) && InstantPattern.ExtendedIso.Parse(text) is { Success: true } parsed ? parsed.Value : null;

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
        record = LastSendOf(instance) is { } sentAt && now - sentAt > journey.AttributionWindow
            ? record with { Detail = $"{reason}, {DurationText.Format(now - sentAt)} after the last message: outside the attribution window of {DurationText.Format(journey.AttributionWindow)}" }
            : record with { StepId = instance.LastSentStepId, Channel = instance.Variables.GetValueOrDefault(LastSentChannel) };
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
