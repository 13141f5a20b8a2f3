using NodaTime;

namespace Recovery.Journeys.Dsl;

/// <summary>A <c>WaitFor</c> waiting for its paths: <c>.OnEvent(path =&gt; ...)</c>, then <c>.OnTimeout(path =&gt; ...)</c>.</summary>
/// <typeparam name="TEvent">The journey's trigger event type.</typeparam>
/// <typeparam name="TParent">The builder the wait belongs to, returned once the wait is complete.</typeparam>
public sealed class WaitBuilder<TEvent, TParent>
    where TEvent : class
{
    private readonly BuilderScope<TEvent> _scope;
    private readonly Duration _earliest;
    private readonly Duration _timeout;
    private readonly Func<PathBuilder<TEvent>, PathBuilder<TEvent>, TParent> _complete;
    private PathBuilder<TEvent>? _onEvent;

    internal WaitBuilder(BuilderScope<TEvent> scope, Duration earliest, Duration timeout, Func<PathBuilder<TEvent>, PathBuilder<TEvent>, TParent> complete)
    {
        _scope = scope;
        _earliest = earliest;
        _timeout = timeout;
        _complete = complete;
    }

    /// <summary>The steps when the event arrives in time; they are timed from its arrival.</summary>
    /// <param name="steps">Adds the path's steps; may be empty to go straight on.</param>
    public WaitBuilder<TEvent, TParent> OnEvent(Action<PathBuilder<TEvent>> steps)
    {
        _scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(steps);
        _onEvent = Path(steps, _earliest);
        return this;
    }

    /// <summary>The steps when the event does not arrive in time; completes the wait.</summary>
    /// <param name="steps">Adds the path's steps; may be empty to go straight on.</param>
    /// <returns>The builder the wait belongs to.</returns>
    public TParent OnTimeout(Action<PathBuilder<TEvent>> steps)
    {
        _scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(steps);
        return _complete(_onEvent ?? Path(_ => { }, _earliest), Path(steps, _earliest + _timeout));
    }

    private PathBuilder<TEvent> Path(Action<PathBuilder<TEvent>> steps, Duration earliest)
    {
        var path = new PathBuilder<TEvent>(_scope, earliest);
        steps(path);
        path.Close();
        return path;
    }
}
