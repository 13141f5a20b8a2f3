using NodaTime;

namespace Recovery.Journeys.Dsl;

/// <summary>The steps of one path of a branch or a wait.</summary>
/// <typeparam name="TEvent">The journey's trigger event type.</typeparam>
public sealed class PathBuilder<TEvent> : StepsBuilder<TEvent, PathBuilder<TEvent>>
    where TEvent : class
{
    internal PathBuilder(BuilderScope<TEvent> scope, Duration earliestOffset)
        : base(scope, earliestOffset)
    {
    }

    internal void Close()
    {
        if (PendingTiming is { } dangling)
        {
            throw Scope.Fail(NextStepLabel(), $"{dangling.Call} at the end of a path is not followed by a step");
        }
    }
}
