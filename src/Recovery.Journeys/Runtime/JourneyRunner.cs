using NodaTime;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime.Steps;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Runtime;

/// <summary>
/// Carries out one journey definition's steps: the typed half of the runtime, made once per definition when the
/// engine starts (<see cref="Create"/>). The definition stays data; this is where its event type is used.
/// </summary>
internal abstract class JourneyRunner
{
    /// <summary>Makes the runner of a definition, whatever its event type.</summary>
    public static JourneyRunner Create(JourneyDefinition journey, StepServices services) => journey.Accept(new Factory(services));

    /// <summary>Runs the claimed instance's step at <paramref name="now"/> and says what came of it; never throws for the host's failures.</summary>
    public abstract ValueTask<StepResult> RunStepAsync(IJourneyClaim claim, JourneyStep step, Instant now, CancellationToken cancellationToken);

    /// <summary>Renders what a step would send, without sending.</summary>
    public abstract ValueTask<IReadOnlyList<PreviewedMessage>> PreviewStepAsync(JourneyInstance instance, JourneyStep step, Instant now, Customer? customer, CancellationToken cancellationToken);

    /// <summary>The time zone an instance started by this event keeps for its local-time steps (tzdb id), or <see langword="null"/> for UTC.</summary>
    public abstract ValueTask<string?> TimeZoneAtStartAsync(object @event, CancellationToken cancellationToken);

    private sealed class Factory(StepServices services) : IJourneyVisitor<JourneyRunner>
    {
        public JourneyRunner Visit<TEvent>(JourneyDefinition<TEvent> journey)
            where TEvent : class => new JourneyRunner<TEvent>(journey, services);
    }
}
