using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Engine;

/// <summary>What running a step came to: sent, skipped or failed, with the reason or error.</summary>
internal readonly record struct StepOutcome(JourneyRecordKind Kind, string? Detail)
{
    public static StepOutcome Sent { get; } = new(JourneyRecordKind.Sent, null);

    public static StepOutcome Skipped(string reason) => new(JourneyRecordKind.Skipped, reason);

    public static StepOutcome Failed(string error) => new(JourneyRecordKind.Failed, error);

    public static StepOutcome Failed(Exception exception) => new(JourneyRecordKind.Failed, $"{exception.GetType().Name}: {exception.Message}");
}
