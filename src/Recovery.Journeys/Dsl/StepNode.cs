using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// A step as the builder holds it before <c>Build()</c>: a leaf that becomes one step, or a fork (a branch, a wait,
/// an experiment) whose paths are sequences of nodes. Building flattens the tree into the definition's graph of steps.
/// </summary>
/// <param name="Id">The step's id.</param>
/// <param name="Label">What kind of step it is, for default ids (<c>push</c>, <c>if</c>, <c>coupon</c>).</param>
/// <param name="Timing">When the step is due.</param>
internal abstract record StepNode(string Id, string Label, StepTiming Timing)
{
    /// <summary>Whether the node, or a node on one of its paths, goes through a channel (and so needs a customer).</summary>
    public abstract bool UsesChannels { get; }

    /// <summary>Builds this node's steps into <paramref name="steps"/>, the node's own step linked to <paramref name="continuation"/>.</summary>
    public abstract void Flatten(List<JourneyStep> steps, string? continuation, StepTemplateCompiler.Factory compilers);

    /// <summary>Flattens a sequence of nodes in reading order, each linked to the one after it; returns the entry id (the continuation when empty).</summary>
    public static string? FlattenSequence(IReadOnlyList<StepNode> nodes, List<JourneyStep> steps, string? continuation, StepTemplateCompiler.Factory compilers)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            nodes[i].Flatten(steps, i + 1 < nodes.Count ? nodes[i + 1].Id : continuation, compilers);
        }

        return nodes.Count > 0 ? nodes[0].Id : continuation;
    }
}

/// <summary>A node that becomes one step; <c>Create</c> makes the step from its id, timing, next step and template compiler.</summary>
internal sealed record LeafNode(string Id, string Label, StepTiming Timing, bool UsesChannels, Func<string, StepTiming, string?, StepTemplateCompiler, JourneyStep> Create)
    : StepNode(Id, Label, Timing)
{
    public override bool UsesChannels { get; } = UsesChannels;

    public override void Flatten(List<JourneyStep> steps, string? continuation, StepTemplateCompiler.Factory compilers) =>
        steps.Add(Create(Id, Timing, continuation, compilers(Id)));
}

/// <summary>
/// A node whose paths all meet again after it: an <c>If</c> (then, else), a <c>WaitFor</c> (event, timeout) or an
/// <c>Experiment</c> (one path per variant). An empty path goes straight to the continuation. <c>Create</c> makes the
/// fork's step from its id, timing, next step and the first step of each path.
/// </summary>
internal sealed record ForkNode(string Id, string Label, StepTiming Timing, IReadOnlyList<IReadOnlyList<StepNode>> Paths, Func<string, StepTiming, string?, IReadOnlyList<string?>, JourneyStep> Create)
    : StepNode(Id, Label, Timing)
{
    public override bool UsesChannels => Paths.Any(p => p.Any(n => n.UsesChannels));

    public override void Flatten(List<JourneyStep> steps, string? continuation, StepTemplateCompiler.Factory compilers)
    {
        steps.Add(Create(Id, Timing, continuation, Paths.Select(p => p.Count > 0 ? p[0].Id : continuation).ToList()));
        foreach (var path in Paths)
        {
            FlattenSequence(path, steps, continuation, compilers);
        }
    }
}
