using System.Text.RegularExpressions;
using NodaTime;
using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// The variants of an experiment: <c>e =&gt; e.Variant("A", 50, p =&gt; p.Push(...)).Variant("B", 50, p =&gt; p.Push(...))</c>.
/// Each variant is a path of steps; every path meets again at the step after the experiment.
/// </summary>
/// <typeparam name="TEvent">The journey's trigger event type.</typeparam>
public sealed partial class ExperimentBuilder<TEvent>
    where TEvent : class
{
    private readonly BuilderScope<TEvent> _scope;
    private readonly string _name;
    private readonly Duration _earliest;
    private readonly List<(ExperimentVariant Variant, PathBuilder<TEvent> Path)> _variants = [];

    internal ExperimentBuilder(BuilderScope<TEvent> scope, string name, Duration earliest)
    {
        _scope = scope;
        _name = name;
        _earliest = earliest;
    }

    /// <summary>Adds a variant: a share of the customers, and the steps they get.</summary>
    /// <param name="name">The variant's name: 1 to 32 letters, digits, '.', '-' or '_'; unique in the experiment.</param>
    /// <param name="weight">The share of customers, in percent, from 1 to 99; the weights of all variants add up to 100.</param>
    /// <param name="steps">Adds the variant's steps; may be empty to go straight on (a control that gets nothing more).</param>
    public ExperimentBuilder<TEvent> Variant(string name, int weight, Action<PathBuilder<TEvent>> steps)
    {
        _scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(steps);
        if (!VariantNamePattern().IsMatch(name))
        {
            throw _scope.Fail(_name, $"the variant name '{name}' is invalid: use 1 to 32 letters, digits, '.', '-' or '_'");
        }

        if (_variants.Exists(v => v.Variant.Name == name))
        {
            throw _scope.Fail(_name, $"the variant '{name}' is declared twice; variant names must be unique");
        }

        if (weight is < 1 or > 99)
        {
            throw _scope.Fail(_name, $"the variant '{name}' has a weight of {weight} %; a weight is a share of customers from 1 to 99 %");
        }

        var path = new PathBuilder<TEvent>(_scope, _earliest);
        steps(path);
        path.Close();
        _variants.Add((new ExperimentVariant(name, weight), path));
        return this;
    }

    /// <summary>Checks the experiment as a whole once its variants are given.</summary>
    internal IReadOnlyList<(ExperimentVariant Variant, PathBuilder<TEvent> Path)> Complete()
    {
        if (_variants.Count < 2)
        {
            throw _scope.Fail(_name, $"an experiment needs at least two variants, it has {_variants.Count}");
        }

        var total = _variants.Sum(v => v.Variant.Weight);
        if (total != 100)
        {
            throw _scope.Fail(_name, $"the variant weights add up to {total} % ({string.Join(" + ", _variants.Select(v => $"{v.Variant.Name} {v.Variant.Weight}"))}), not 100 %");
        }

        return _variants;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,32}$")]
    private static partial Regex VariantNamePattern();
}
