using Recovery.Journeys.Experiments;

namespace Recovery.Journeys.Definition;

/// <summary>Sends each customer down one variant's path, chosen by a stable hash (<see cref="Assignment"/>).</summary>
internal sealed class ExperimentStep(string id, StepTiming timing, string? nextStepId, IReadOnlyList<ExperimentVariant> variants, IReadOnlyList<string?> targets)
    : JourneyStep(id, StepKind.Control, [ExperimentVariables.Channel], ChannelMode.Single, timing, nextStepId)
{
    private readonly IReadOnlyList<int> _weights = variants.Select(v => v.Weight).ToList();

    public IReadOnlyList<ExperimentVariant> Variants => variants;

    /// <summary>The first step of each variant's path, in the order of <see cref="Variants"/>.</summary>
    public IReadOnlyList<string?> Targets => targets;

    public override IReadOnlyList<StepTransition> Transitions => variants.Select((v, i) => new StepTransition($"{v.Name} {v.Weight}%", targets[i])).ToList();

    /// <summary>The variable that keeps an instance's variant of this experiment.</summary>
    public string VariableName => ExperimentVariables.Of(Id);

    /// <summary>The index of the variant a customer (or correlation key) gets.</summary>
    public int Choose(string journeyName, string unit) => Assignment.Pick(Assignment.Bucket(journeyName, Id, unit), _weights);

    /// <summary>The index of a variant by name, or <see langword="null"/>.</summary>
    public int? IndexOf(string variant)
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
