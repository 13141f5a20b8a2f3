using Recovery.Journeys;
using Recovery.Journeys.Storage;

namespace CheckoutRecovery.Simulation;

/// <summary>One step's line of the funnel.</summary>
/// <param name="StepId">The step.</param>
/// <param name="Channel">Its channel (<c>push</c>, <c>email</c>).</param>
/// <param name="Timing">When it is due.</param>
/// <param name="Sent">How many instances it sent its message to.</param>
/// <param name="Skipped">How many it skipped (no e-mail address, ...).</param>
/// <param name="Failed">How many sends failed.</param>
/// <param name="Converted">How many instances converted with this step as the last one sent.</param>
/// <param name="Revenue">The sum of those conversions' values.</param>
public sealed record StepFunnel(
    string StepId,
    string Channel,
    StepTiming Timing,
    int Sent,
    int Skipped,
    int Failed,
    int Converted,
    decimal Revenue);

/// <summary>
/// A journey's funnel, read from the store's timeline entries: who entered, what each step sent, and which step
/// each conversion followed (the last step sent, as the store records it).
/// </summary>
/// <param name="JourneyName">The journey.</param>
/// <param name="Entered">How many instances started.</param>
/// <param name="Steps">Each step's figures, in the journey's order.</param>
/// <param name="ConvertedBeforeFirstStep">Conversions that came before any message was sent.</param>
/// <param name="RevenueBeforeFirstStep">Their value.</param>
/// <param name="Converted">Every conversion.</param>
/// <param name="Completed">Instances that ran every step without converting.</param>
/// <param name="Exited">Instances that stopped early without converting.</param>
public sealed record JourneyFunnel(
    string JourneyName,
    int Entered,
    IReadOnlyList<StepFunnel> Steps,
    int ConvertedBeforeFirstStep,
    decimal RevenueBeforeFirstStep,
    int Converted,
    int Completed,
    int Exited)
{
    /// <summary>Conversions that followed at least one reminder.</summary>
    public int Recovered => Steps.Sum(s => s.Converted);

    /// <summary>The value of the conversions that followed at least one reminder.</summary>
    public decimal RecoveredRevenue => Steps.Sum(s => s.Revenue);

    /// <summary>Every conversion's value.</summary>
    public decimal Revenue => RevenueBeforeFirstStep + RecoveredRevenue;

    /// <summary>Conversions per instance entered; 0 when none entered.</summary>
    public double ConversionRate => Entered == 0 ? 0 : (double)Converted / Entered;

    /// <summary>Instances still waiting for a step.</summary>
    public int Active => Entered - Converted - Completed - Exited;

    /// <summary>Reads the funnel of <paramref name="journey"/> from <paramref name="store"/>.</summary>
    /// <param name="store">The store the engine wrote to.</param>
    /// <param name="journey">The journey, for its steps and their order.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<JourneyFunnel> ReadAsync(IJourneyStore store, JourneyDefinition journey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(journey);
        var counts = new Dictionary<(JourneyRecordKind Kind, string? StepId), (int Count, decimal Value)>();
        await foreach (var record in store.ReadRecordsAsync(new JourneyRecordQuery(JourneyName: journey.Name), cancellationToken))
        {
            var key = (record.Kind, record.StepId);
            var (count, value) = counts.GetValueOrDefault(key);
            counts[key] = (count + 1, value + (record.Value ?? 0m));
        }

        int Count(JourneyRecordKind kind, string? stepId = null) => counts.GetValueOrDefault((kind, stepId)).Count;
        int Total(JourneyRecordKind kind) => counts.Where(c => c.Key.Kind == kind).Sum(c => c.Value.Count);

        var steps = journey.Steps
            .Select(s => new StepFunnel(
                s.Id,
                s.Channel,
                s.Timing,
                Count(JourneyRecordKind.Sent, s.Id),
                Count(JourneyRecordKind.Skipped, s.Id),
                Count(JourneyRecordKind.Failed, s.Id),
                Count(JourneyRecordKind.Converted, s.Id),
                counts.GetValueOrDefault((JourneyRecordKind.Converted, s.Id)).Value))
            .ToList();
        var before = counts.GetValueOrDefault((JourneyRecordKind.Converted, null));
        return new JourneyFunnel(
            journey.Name,
            Total(JourneyRecordKind.Entered),
            steps,
            before.Count,
            before.Value,
            Total(JourneyRecordKind.Converted),
            Total(JourneyRecordKind.Completed),
            Total(JourneyRecordKind.Exited));
    }
}
