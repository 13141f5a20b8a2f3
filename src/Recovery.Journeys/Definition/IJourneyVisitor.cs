namespace Recovery.Journeys.Definition;

/// <summary>Typed code run for a journey whose trigger event type is only known at run time (building its runner, say).</summary>
/// <typeparam name="TResult">What the visit returns.</typeparam>
internal interface IJourneyVisitor<out TResult>
{
    TResult Visit<TEvent>(JourneyDefinition<TEvent> journey)
        where TEvent : class;
}
