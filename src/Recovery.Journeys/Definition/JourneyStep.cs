using Recovery.Journeys.Engine;

namespace Recovery.Journeys;

/// <summary>One step of a journey definition, as it can be inspected. Immutable.</summary>
public abstract class JourneyStep
{
    private protected JourneyStep(string id, string channel, StepTiming timing)
    {
        Id = id;
        Channel = channel;
        Timing = timing;
    }

    /// <summary>The step's stable id, used in idempotency keys, timelines and reports.</summary>
    public string Id { get; }

    /// <summary>What the step does: a channel name (<c>push</c>, <c>email</c>, <c>sms</c>, ...) or <c>action</c>.</summary>
    public string Channel { get; }

    /// <summary>When the step is due.</summary>
    public StepTiming Timing { get; }

    /// <summary>The step that follows, or <see langword="null"/> for the last one.</summary>
    public string? NextStepId { get; internal set; }

    /// <summary>Describes the step, e.g. <c>push-1 (push, +5m after start)</c>.</summary>
    public override string ToString() => $"{Id} ({Channel}, {Timing})";
}

/// <summary>A step that runs with the typed trigger event.</summary>
internal abstract class JourneyStep<TEvent> : JourneyStep
{
    protected JourneyStep(string id, string channel, StepTiming timing)
        : base(id, channel, timing)
    {
    }

    /// <summary>Whether the step needs a customer to run (a message does, a host action does not).</summary>
    public abstract bool NeedsCustomer { get; }

    public abstract ValueTask<StepOutcome> RunAsync(StepContext<TEvent> context, StepServices services, CancellationToken cancellationToken);
}
