using System.Collections.Concurrent;
using System.Collections.Immutable;
using NodaTime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>
/// What running a step came to: the entries it writes, and either where the journey goes next or when the same step
/// runs again (a retry, a deferral, a wait).
/// </summary>
internal sealed record StepResult(IReadOnlyList<DeliveryOutcome> Deliveries)
{
    private static readonly ConcurrentDictionary<string, StepResult> SentOn = new(StringComparer.Ordinal);

    /// <summary>When set, the same step runs again at this instant instead of the journey moving on.</summary>
    public Instant? RunAgainAt { get; init; }

    /// <summary>The step's progress to resume from when it runs again (which channels are done, a wait begun).</summary>
    public string? Progress { get; init; }

    /// <summary>The attempt number the next run of the same step will be (0 unless retrying).</summary>
    public int NextAttempt { get; init; }

    /// <summary>The step to go to next instead of the step's own next one, when <see cref="Branches"/> is set (a branch, a wait's outcome).</summary>
    public string? NextStepId { get; init; }

    /// <summary>Whether <see cref="NextStepId"/> replaces the step's own next one (<see langword="null"/> then ends the journey).</summary>
    public bool Branches { get; init; }

    /// <summary>When set, the instance ends now instead of moving on (the host's send condition no longer holds).</summary>
    public JourneyEnd? EndsJourney { get; init; }

    /// <summary>Variables to set on the instance (a coupon's code); a <see langword="null"/> value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?>? Variables { get; init; }

    public bool AnySent => Has(JourneyRecordKind.Sent);

    /// <summary>Whether the step ended having failed: nothing sent and at least one channel failed for good.</summary>
    public bool Failed => RunAgainAt is null && !AnySent && Has(JourneyRecordKind.Failed);

    private bool Has(JourneyRecordKind kind)
    {
        // An indexed loop, not LINQ or foreach over the interface: this runs for every step of every journey.
        for (var i = 0; i < Deliveries.Count; i++)
        {
            if (Deliveries[i].Kind == kind)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A step that sent on its one channel and does nothing else: one result per channel, shared by every such step
    /// (a result is immutable), so the commonest step makes none.
    /// </summary>
    public static StepResult Sent(string channel) => SentOn.GetOrAdd(channel, static c => new([new(JourneyRecordKind.Sent, c, null)]));

    public static StepResult Deferred(string channel, Instant until, string reason, int attempt, string? progress) =>
        new([new(JourneyRecordKind.Deferred, channel, reason)]) { RunAgainAt = until, NextAttempt = attempt, Progress = progress };

    public ImmutableDictionary<string, string> Apply(ImmutableDictionary<string, string> variables)
    {
        if (Variables is null)
        {
            return variables;
        }

        foreach (var (key, value) in Variables)
        {
            variables = value is null ? variables.Remove(key) : variables.SetItem(key, value);
        }

        return variables;
    }
}

/// <summary>How a step ends its journey: converted or exited, and why.</summary>
internal sealed record JourneyEnd(string Reason, bool AsConversion);
