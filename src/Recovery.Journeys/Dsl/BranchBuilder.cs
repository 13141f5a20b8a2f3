using NodaTime;

namespace Recovery.Journeys.Dsl;

/// <summary>An <c>If</c> waiting for its paths: <c>.Then(path =&gt; ...)</c>, then <c>.Else(path =&gt; ...)</c> or <c>.EndIf()</c>.</summary>
/// <typeparam name="TEvent">The journey's trigger event type.</typeparam>
/// <typeparam name="TParent">The builder the branch belongs to, returned once the branch is complete.</typeparam>
public sealed class BranchBuilder<TEvent, TParent>
    where TEvent : class
{
    private readonly BuilderScope<TEvent> _scope;
    private readonly Duration _earliest;
    private readonly Func<PathBuilder<TEvent>, PathBuilder<TEvent>, TParent> _complete;
    private PathBuilder<TEvent>? _then;

    internal BranchBuilder(BuilderScope<TEvent> scope, Duration earliest, Func<PathBuilder<TEvent>, PathBuilder<TEvent>, TParent> complete)
    {
        _scope = scope;
        _earliest = earliest;
        _complete = complete;
    }

    /// <summary>The steps when the condition holds.</summary>
    /// <param name="steps">Adds the path's steps.</param>
    public BranchBuilder<TEvent, TParent> Then(Action<PathBuilder<TEvent>> steps)
    {
        _scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(steps);
        if (_then is not null)
        {
            throw new InvalidOperationException("The branch's Then path is given twice.");
        }

        _then = Path(steps);
        return this;
    }

    /// <summary>The steps when the condition does not hold; completes the branch.</summary>
    /// <param name="steps">Adds the path's steps.</param>
    /// <returns>The builder the branch belongs to.</returns>
    public TParent Else(Action<PathBuilder<TEvent>> steps)
    {
        _scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(steps);
        return _complete(_then ?? throw new InvalidOperationException("Give the branch's Then path before its Else path."), Path(steps));
    }

    /// <summary>Completes the branch without an Else path: when the condition does not hold, the journey goes straight on.</summary>
    /// <returns>The builder the branch belongs to.</returns>
    public TParent EndIf() => Else(_ => { });

    private PathBuilder<TEvent> Path(Action<PathBuilder<TEvent>> steps)
    {
        var path = new PathBuilder<TEvent>(_scope, _earliest);
        steps(path);
        path.Close();
        return path;
    }
}
