using System.Collections.Immutable;

namespace Recovery.Journeys.Storage;

/// <summary>
/// The fields of a <see cref="JourneyInstance"/> that a waiting journey does not use (retries, the end, named values),
/// kept out of line: an instance allocates them only once one is set, so a million journeys waiting for their first
/// step keep none. When the last step ran and the last message sent, which every step changes, are kept apart
/// (<see cref="JourneyInstanceLastStep"/>), so that a step does not copy these.
/// </summary>
/// <remarks>
/// Written only while the instance that created it is being initialised; once an instance is copied (a <c>with</c>
/// expression), its details are marked shared and the copy writes its own. Equal by value, as the instance is.
/// </remarks>
internal sealed class JourneyInstanceDetails : IEquatable<JourneyInstanceDetails>
{
    public int StepAttempt { get; set; }

    public string? StepProgress { get; set; }

    public OptionalInstant EndedAt { get; set; }

    public string? EndReason { get; set; }

    /// <summary><see langword="null"/> for <see cref="ImmutableDictionary{TKey,TValue}.Empty"/>.</summary>
    public ImmutableDictionary<string, string>? Variables { get; set; }

    /// <summary>Whether another instance may hold these details: then they are copied before a write.</summary>
    public bool Shared { get; set; }

    /// <summary>Whether every field has its default, so that the instance may keep none.</summary>
    public bool IsEmpty =>
        StepAttempt == 0 && StepProgress is null && !EndedAt.HasValue && EndReason is null && Variables is null;

    public JourneyInstanceDetails Copy() => new()
    {
        StepAttempt = StepAttempt,
        StepProgress = StepProgress,
        EndedAt = EndedAt,
        EndReason = EndReason,
        Variables = Variables,
    };

    public bool Equals(JourneyInstanceDetails? other) =>
        other is not null
        && StepAttempt == other.StepAttempt
        && string.Equals(StepProgress, other.StepProgress, StringComparison.Ordinal)
        && EndedAt == other.EndedAt
        && string.Equals(EndReason, other.EndReason, StringComparison.Ordinal)
        && ReferenceEquals(Variables, other.Variables);

    public override bool Equals(object? obj) => Equals(obj as JourneyInstanceDetails);

    public override int GetHashCode() =>
        HashCode.Combine(StepAttempt, StepProgress, EndedAt, EndReason, Variables);
}
