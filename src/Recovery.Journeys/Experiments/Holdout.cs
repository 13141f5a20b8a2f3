using System.Collections.Immutable;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Runtime.Steps;
using Recovery.Journeys.Storage;

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

    public static bool IsIn(IReadOnlyDictionary<string, string> variables) =>
        variables.TryGetValue(Variable, out var group) && group == HoldoutGroup;

    /// <summary>The group's variables and its timeline entry, written when the instance enters.</summary>
    public static (ImmutableDictionary<string, string> Variables, JourneyRecord Record) Assign(JourneyDefinition journey, JourneyInstance instance)
    {
        var group = Contains(journey.Name, journey.HoldoutPercent, instance.CustomerId ?? instance.CorrelationKey) ? HoldoutGroup : JourneyGroup;
        var record = new JourneyRecord(instance.Id, instance.JourneyName, instance.StartedAt, JourneyRecordKind.Assigned) { Channel = Name, Detail = group };
        return (instance.Variables.SetItem(Variable, group), record);
    }

    /// <summary>What a step does for a holdout instance instead of running: a message is skipped, a coupon withheld; other steps run.</summary>
    public static StepResult? Withhold<TEvent>(JourneyStep step)
        where TEvent : class
    {
        if (step.SendsMessages)
        {
            return new StepResult([new(JourneyRecordKind.Skipped, step.Channel, SkipReason)]);
        }

        if (step is CouponStep<TEvent> { Settings: not null })
        {
            return new StepResult([new(JourneyRecordKind.CouponWithheld, step.Channel, SkipReason)])
            {
                Variables = new Dictionary<string, string?> { [CouponState.Withheld] = SkipReason },
            };
        }

        return null;
    }
}
