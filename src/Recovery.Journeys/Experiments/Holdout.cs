namespace Recovery.Journeys.Experiments;

/// <summary>
/// The holdout (control) group: customers who enter the journey and go through its steps on the same schedule, but
/// receive nothing, so that the journey's own effect can be measured against them.
/// </summary>
internal static class Holdout
{
    /// <summary>The variable that says which group an instance of a journey with a holdout is in.</summary>
    public const string Variable = "holdout";

    /// <summary>The salt of the holdout's bucket, and the channel of its assignment record.</summary>
    public const string Name = "holdout";

    /// <summary>The group that gets nothing.</summary>
    public const string HoldoutGroup = "holdout";

    /// <summary>The group that gets the journey's messages.</summary>
    public const string JourneyGroup = "journey";

    /// <summary>The reason recorded on each step a holdout instance skips.</summary>
    public const string SkipReason = "holdout";

    /// <summary>Whether a customer (or correlation key) is in a journey's holdout of <paramref name="percent"/> %.</summary>
    public static bool Contains(string journeyName, int percent, string unit) =>
        percent > 0 && Assignment.Bucket(journeyName, Name, unit) < percent * (Assignment.Buckets / 100);

    /// <summary>Whether an instance's variables put it in the holdout group.</summary>
    /// <remarks>Most instances keep no variable: then the key is not hashed (asked at every step).</remarks>
    public static bool IsIn(IReadOnlyDictionary<string, string> variables) =>
        variables.Count != 0 && variables.TryGetValue(Variable, out var group) && group == HoldoutGroup;
}
