namespace Recovery.Journeys.Definition;

/// <summary>An experiment of a journey as it can be inspected: a step that sends each customer down one of its variants' paths.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class JourneyExperiment
{
    internal JourneyExperiment(string name, IReadOnlyList<ExperimentVariant> variants)
    {
        Name = name;
        Variants = variants;
    }

    /// <summary>The experiment's name, which is also the id of its step.</summary>
    public string Name { get; }

    /// <summary>The variants, in the order they were declared; their weights add up to 100.</summary>
    public IReadOnlyList<ExperimentVariant> Variants { get; }

    /// <summary>Describes the experiment, e.g. <c>push-text (A 50%, B 50%)</c>.</summary>
    public override string ToString() => $"{Name} ({string.Join(", ", Variants.Select(v => $"{v.Name} {v.Weight}%"))})";
}
