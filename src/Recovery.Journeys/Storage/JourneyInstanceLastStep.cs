namespace Recovery.Journeys.Storage;

/// <summary>
/// When a <see cref="JourneyInstance"/> last ran a step and the last message it sent (its step, instant and channels),
/// kept out of line beside the instance's other rarely set fields (<see cref="JourneyInstanceDetails"/>): a journey
/// waiting for its first step has none, and every step changes these and nothing else there, so a step copies these
/// 64 bytes rather than all the details.
/// </summary>
/// <remarks>
/// Written only while the instance that created it is being initialised; once an instance is copied (a <c>with</c>
/// expression), it is marked shared and the copy writes its own. Equal by value, as the instance is.
/// </remarks>
internal sealed class JourneyInstanceLastStep : IEquatable<JourneyInstanceLastStep>
{
    public OptionalInstant At { get; set; }

    public string? SentStepId { get; set; }

    public OptionalInstant SentAt { get; set; }

    public string? SentChannel { get; set; }

    /// <summary>Whether another instance may hold this object: then it is copied before a write.</summary>
    public bool Shared { get; set; }

    /// <summary>Whether every field has its default, so that the instance may keep none.</summary>
    public bool IsEmpty => !At.HasValue && SentStepId is null && !SentAt.HasValue && SentChannel is null;

    public JourneyInstanceLastStep Copy() => new() { At = At, SentStepId = SentStepId, SentAt = SentAt, SentChannel = SentChannel };

    public bool Equals(JourneyInstanceLastStep? other) =>
        other is not null
        && At == other.At
        && string.Equals(SentStepId, other.SentStepId, StringComparison.Ordinal)
        && SentAt == other.SentAt
        && string.Equals(SentChannel, other.SentChannel, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as JourneyInstanceLastStep);

    public override int GetHashCode() => HashCode.Combine(At, SentStepId, SentAt, SentChannel);
}
