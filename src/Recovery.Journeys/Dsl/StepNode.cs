using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// A step as the builder holds it before <c>Build()</c>: a leaf that becomes one step, or a branch or wait whose
/// paths are sequences of nodes. Building flattens the tree into the definition's graph of steps.
/// </summary>
internal abstract record StepNode<TEvent>(string Id, string Kind, StepTiming Timing)
    where TEvent : class
{
    public abstract bool SendsMessages { get; }

    /// <summary>Builds this node's steps into <paramref name="steps"/>, linked to <paramref name="continuation"/>; returns the node's entry step id.</summary>
    public abstract string Flatten(List<JourneyStep> steps, string? continuation, StepTemplateCompiler.Factory compilers);

    /// <summary>Flattens a sequence of nodes in reading order, each linked to the one after it; returns the entry id (the continuation when empty).</summary>
    public static string? FlattenSequence(IReadOnlyList<StepNode<TEvent>> nodes, List<JourneyStep> steps, string? continuation, StepTemplateCompiler.Factory compilers)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            nodes[i].Flatten(steps, i + 1 < nodes.Count ? nodes[i + 1].Id : continuation, compilers);
        }

        return nodes.Count > 0 ? nodes[0].Id : continuation;
    }
}

internal sealed record LeafNode<TEvent>(string Id, string Kind, StepTiming Timing, Func<string, StepTiming, StepTemplateCompiler, JourneyStep<TEvent>> Create)
    : StepNode<TEvent>(Id, Kind, Timing)
    where TEvent : class
{
    public override bool SendsMessages => Kind != "action" && !Kind.StartsWith("coupon", StringComparison.Ordinal);

    public override string Flatten(List<JourneyStep> steps, string? continuation, StepTemplateCompiler.Factory compilers)
    {
        var step = Create(Id, Timing, compilers(Id));
        step.NextStepId = continuation;
        steps.Add(step);
        return Id;
    }
}

/// <summary>
/// A node whose paths all meet again after it: an <c>If</c> (then, else), a <c>WaitFor</c> (event, timeout) or an
/// <c>Experiment</c> (one path per variant). An empty path goes straight to the continuation.
/// </summary>
internal sealed record ForkNode<TEvent>(
    string Id,
    string Kind,
    StepTiming Timing,
    IReadOnlyList<IReadOnlyList<StepNode<TEvent>>> Paths,
    Func<string, StepTiming, IReadOnlyList<string?>, JourneyStep<TEvent>> Create)
    : StepNode<TEvent>(Id, Kind, Timing)
    where TEvent : class
{
    public override bool SendsMessages => Paths.Any(p => p.Any(n => n.SendsMessages));

    public override string Flatten(List<JourneyStep> steps, string? continuation, StepTemplateCompiler.Factory compilers)
    {
        var fork = Create(Id, Timing, Paths.Select(p => p.Count > 0 ? p[0].Id : continuation).ToList());
        fork.NextStepId = continuation;
        steps.Add(fork);
        foreach (var path in Paths)
        {
            StepNode<TEvent>.FlattenSequence(path, steps, continuation, compilers);
        }

        return Id;
    }
}
