using Recovery.Journeys.Definition;
using Recovery.Journeys.Experiments;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// Experiments: a step or a path split into weighted variants (an A/B test, a new timing for 10 % first), and a
/// holdout group that enters the journey but receives nothing, to measure the journey's own effect.
/// </summary>
public static class ExperimentSteps
{
    /// <summary>
    /// Splits the journey into variants that each get a share of the customers (an A/B test, or a new timing rolled out
    /// to 10 % first): <c>.Experiment("push-text", e =&gt; e.Variant("A", 50, p =&gt; p.Push(...)).Variant("B", 50, p =&gt; p.Push(...)))</c>.
    /// Every variant's path meets again at the step after the experiment.
    /// </summary>
    /// <remarks>
    /// A customer's variant comes from a stable hash of the journey's name, the experiment's name and the customer id
    /// (the correlation key for a journey that names no customer): the same in every process and after every restart,
    /// and independent of the customer's variant in other experiments. It is kept among the instance's variables
    /// (<c>experiment.{name}</c>) and recorded on its timeline when the experiment's step is reached.
    /// </remarks>
    /// <param name="steps">The journey or path.</param>
    /// <param name="name">The experiment's name, which is also its step's id: 1 to 64 letters, digits, '.', '-' or '_'.</param>
    /// <param name="variants">Adds the variants; at least two, their weights adding up to 100.</param>
    public static TSelf Experiment<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string name, Action<ExperimentBuilder<TEvent>> variants)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf>
    {
        ArgumentNullException.ThrowIfNull(steps);
        var scope = steps.Scope;
        scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(variants);
        var (timing, earliest) = steps.TakeTiming(name, ExperimentVariables.Channel);
        var experiment = new ExperimentBuilder<TEvent>(scope, name, earliest);
        variants(experiment);
        var paths = experiment.Complete();
        var declared = paths.Select(p => p.Variant).ToList();
        scope.Blueprint.Experiments.Add(new JourneyExperiment(name, declared));
        return steps.AddNode(
            new ForkNode(name, ExperimentVariables.Channel, timing, paths.Select(p => (IReadOnlyList<StepNode>)p.Path.Nodes).ToList(), (stepId, t, next, targets) =>
                new ExperimentStep(stepId, t, next, declared, targets)),
            paths.Min(p => p.Path.EarliestOffset));
    }

    /// <summary>
    /// Keeps a share of the customers as a holdout (control) group: they enter the journey and go through its steps on
    /// the same schedule, but every step that goes through a channel is skipped for them (reason <c>holdout</c>) and
    /// no coupon is issued to them. Comparing their conversion rate with the others' measures what the journey itself brings.
    /// </summary>
    /// <remarks>
    /// Whether a customer is in the holdout comes from a stable hash of the journey's name and the customer id (the
    /// correlation key for a journey that names no customer): the same in every process and after every restart.
    /// Host actions (<c>Do</c>) still run; they can check <see cref="StepContext{TEvent}.IsHoldout"/>.
    /// </remarks>
    /// <param name="journey">The journey.</param>
    /// <param name="percent">The share of customers held out, from 1 to 50 %.</param>
    public static JourneyBuilder<TEvent> Holdout<TEvent>(this JourneyBuilder<TEvent> journey, int percent)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(journey);
        var scope = journey.Scope;
        scope.EnsureNotBuilt();
        scope.Blueprint.HoldoutPercent = percent is >= 1 and <= 50
            ? percent
            : throw scope.Fail(null, $"the holdout must be between 1 and 50 % of the customers, was {percent} %");
        return journey;
    }
}
