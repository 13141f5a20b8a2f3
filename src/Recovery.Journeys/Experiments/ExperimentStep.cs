using Recovery.Journeys.Definition;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Runtime.Steps;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Experiments;

/// <summary>
/// Sends the instance down one variant's path: the variant kept on the instance if it has one (a retry, a restart),
/// else the one the customer's bucket falls in. Records the assignment on the timeline and among the variables.
/// </summary>
internal sealed class ExperimentStep<TEvent>(string id, StepTiming timing, IReadOnlyList<ExperimentVariant> variants, IReadOnlyList<string?> targets)
    : JourneyStep<TEvent>(id, [ChannelName], ChannelMode.Single, timing), IExperimentStep
{
    public const string ChannelName = ExperimentVariables.Channel;

    private readonly IReadOnlyList<int> _weights = variants.Select(v => v.Weight).ToList();

    public IReadOnlyList<ExperimentVariant> Variants => variants;

    public override IReadOnlyList<StepTransition> Transitions => variants.Select((v, i) => new StepTransition($"{v.Name} {v.Weight}%", targets[i])).ToList();

    /// <summary>The variable that keeps an instance's variant of this experiment.</summary>
    public string VariableName => ExperimentVariables.Of(Id);

    /// <summary>The index of the variant a customer (or correlation key) gets.</summary>
    public int Choose(string journeyName, string unit) => Assignment.Pick(Assignment.Bucket(journeyName, Id, unit), _weights);

    public override ValueTask<StepResult> RunAsync(Runtime.Steps.StepRun<TEvent> run, CancellationToken cancellationToken)
    {
        var context = run.Context;
        var index = context.Variables.TryGetValue(VariableName, out var kept) && IndexOf(kept) is { } keptIndex
            ? keptIndex
            : Choose(context.JourneyName, context.AssignmentUnit);
        var variant = variants[index].Name;
        return ValueTask.FromResult(new StepResult([new(JourneyRecordKind.Assigned, ChannelName, variant)])
        {
            NextStepId = targets[index],
            Branches = true,
            Variables = new Dictionary<string, string?> { [VariableName] = variant },
        });
    }

    private int? IndexOf(string variant)
    {
        for (var i = 0; i < variants.Count; i++)
        {
            if (variants[i].Name == variant)
            {
                return i;
            }
        }

        return null;
    }
}

/// <summary>An experiment's step, whatever the journey's event type.</summary>
internal interface IExperimentStep
{
    IReadOnlyList<ExperimentVariant> Variants { get; }

    int Choose(string journeyName, string unit);
}

/// <summary>The names of the variables that keep an instance's groups.</summary>
internal static class ExperimentVariables
{
    /// <summary>The channel of an experiment step and of its assignment records.</summary>
    public const string Channel = "experiment";

    /// <summary>The variable of an experiment: <c>experiment.push-text</c> = <c>B</c>.</summary>
    public static string Of(string experiment) => $"experiment.{experiment}";
}
